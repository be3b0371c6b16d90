# CoGPT gateway image. Build and run with `docker compose up -d --build` (see README, "Deployment").
# The image holds Node and the one-file bundle that the release archives ship (`npm run bundle`),
# on the same Node as the archives: Node 22.13 and later have SQLite built in (node:sqlite), so
# there is no native module to compile and no node_modules in the image.
ARG NODE_VERSION=22.23.2

# Build stage: esbuild bundles src/ with the locked dependencies, Vite builds the dashboard.
# Install scripts are skipped: the optional better-sqlite3 is for Node 20 only, and esbuild and
# Vite run from their platform packages.
FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json vite.ui.config.ts ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run bundle && npx vite build --config vite.ui.config.ts

# Runtime stage: Node, the bundle, the dashboard beside it (the bundle looks in ../ui) and
# package.json (the bundle reads its version there): the layout of the release archives.
FROM node:${NODE_VERSION}-alpine
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8080 \
  COGPT_CONFIG_DIR=/app/db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/dist/bundle/cogpt.mjs ./lib/cogpt.mjs
COPY --from=build /app/dist/ui ./ui
# The code stays owned by root (read-only to the server); only the cache and the log are
# writable, by the image's unprivileged `node` user (uid 1000).
RUN mkdir -p db log && chown node:node db log
USER node
VOLUME ["/app/db", "/app/log"]
EXPOSE 8080
# Node has fetch built in: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) makes the server stop accepting and finish responses in flight.
STOPSIGNAL SIGTERM
# node:sqlite still calls itself experimental on Node 22; the warning would only alarm.
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "lib/cogpt.mjs"]
CMD ["serve"]
