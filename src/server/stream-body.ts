import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";

/** Answers with an event stream, with the headers that stop proxies from buffering it. */
export function streamBody(c: Context<AppEnv>, stream: ReadableStream<Uint8Array>): Response {
  c.header("content-type", "text/event-stream; charset=utf-8");
  c.header("cache-control", "no-cache");
  c.header("x-accel-buffering", "no");
  return c.body(stream);
}
