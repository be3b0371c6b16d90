import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Exchange } from "../exchange.js";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/** Vite names built assets `name-<hash>.ext`: such a file never changes under its name. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

const NOT_BUILT_PAGE =
  "<!doctype html><meta charset=utf-8><title>CoGPT dashboard not built</title>" +
  "<h1>The dashboard is not built</h1>" +
  "<p>This gateway has no <code>dist/ui</code>. From a source checkout, run " +
  "<code>npm run build</code> and restart <code>cogpt serve</code>; an installed package ships it.</p>\n";

const NOT_FOUND_PAGE =
  "<!doctype html><meta charset=utf-8><title>Not found</title><h1>Not found</h1>" +
  '<p>No such file in the dashboard. <a href="/ui/">Back to the dashboard</a>.</p>\n';

/**
 * The built page (dist/ui beside the compiled code): from dist/src/server/start-gateway.js it is
 * ../../ui, from the esbuild bundle (dist/bundle/cogpt.mjs) ../ui. The first that holds an
 * index.html wins; else the first, so the not-built page names where it looked.
 */
export function findUiDirectory(moduleUrl: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [join(here, "..", "..", "ui"), join(here, "..", "ui")];
  return candidates.find((dir) => existsSync(join(dir, "index.html"))) ?? candidates[0]!;
}

/**
 * Answers `GET /ui/<path>` from `root`: the file if there is one, index.html for any other path
 * without an extension (the page routes on the client), a 404 page otherwise. Hashed assets are
 * cached for a year; everything else is revalidated.
 */
export async function serveUiFile(
  exchange: Exchange,
  root: string,
  subPath: string,
): Promise<void> {
  const index = join(root, "index.html");
  if (!existsSync(index)) {
    exchange.setHeader("cache-control", "no-store");
    exchange.send(404, NOT_BUILT_PAGE, CONTENT_TYPES[".html"]);
    return;
  }
  const relative = subPath === "" || subPath === "/" ? "/index.html" : subPath;
  const file = resolveInside(root, relative);
  const body = file === undefined ? undefined : await readFile(file).catch(() => undefined);
  if (body !== undefined && file !== undefined) {
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    exchange.setHeader(
      "cache-control",
      HASHED_ASSET.test(relative) ? "public, max-age=31536000, immutable" : "no-cache",
    );
    sendBuffer(exchange, body, type);
    return;
  }
  if (extname(relative) !== "") {
    exchange.setHeader("cache-control", "no-store");
    exchange.send(404, NOT_FOUND_PAGE, CONTENT_TYPES[".html"]);
    return;
  }
  exchange.setHeader("cache-control", "no-cache");
  sendBuffer(exchange, await readFile(index), CONTENT_TYPES[".html"]!);
}

/** `root` + `relative`, or undefined when the path would leave `root` (`..`, encoded or not). */
function resolveInside(root: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const path = normalize(join(root, decoded));
  return path.startsWith(normalize(root) + sep) ? path : undefined;
}

function sendBuffer(exchange: Exchange, body: Buffer, contentType: string): void {
  exchange.headers["content-type"] = contentType;
  exchange.headers["content-length"] = String(body.length);
  exchange.status = 200;
  exchange.outgoing.writeHead(200, exchange.headers);
  exchange.outgoing.end(exchange.method === "HEAD" ? undefined : body);
}
