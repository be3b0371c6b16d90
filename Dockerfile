# CoGPT gateway image. Build and run with `docker compose up -d --build` (see README, "Deployment").
# Any Node.js >= 20.19 works; 22 is the LTS line that still receives security updates.
ARG NODE_VERSION=22

# Build stage: the compiler toolchain is needed only here, for better-sqlite3's native module
# (`npm ci` compiles it when no prebuilt binary fits).
FROM node:${NODE_VERSION}-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, then drop the dev dependencies; the built native module stays in node_modules.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: Node, the production dependencies and the compiled JavaScript; no toolchain.
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8080 \
  COGPT_CONFIG_DIR=/app/db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
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
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve"]
