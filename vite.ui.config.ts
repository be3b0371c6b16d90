import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dashboard (src/ui) → dist/ui, served by the gateway under /ui/. The gateway's
// Content-Security-Policy allows no inline script or style, so nothing may be inlined.
export default defineConfig({
  root: fileURLToPath(new URL("src/ui", import.meta.url)),
  base: "/ui/",
  publicDir: false,
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("dist/ui", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
  },
});
