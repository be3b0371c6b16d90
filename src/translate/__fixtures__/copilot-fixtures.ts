// Test helper: reads the recordings of the real Copilot service kept in /work/shared.
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { fixturesDir } from "../../../test/fixtures-dir.js";
import { parseSse } from "../../sse/parse-sse.js";

export async function readCopilotFixture(relativePath: string): Promise<string> {
  return readFile(path.join(fixturesDir, relativePath), "utf8");
}

export async function readCopilotFixtureJson(relativePath: string): Promise<unknown> {
  return JSON.parse(await readCopilotFixture(relativePath)) as unknown;
}

/** The `data` payloads of a recorded SSE transcript, in order, `[DONE]` included. */
export async function readCopilotFixtureSseData(relativePath: string): Promise<string[]> {
  const text = await readCopilotFixture(relativePath);
  const data: string[] = [];
  for await (const event of parseSse(toAsyncIterable([text]))) data.push(event.data);
  return data;
}

export async function* toAsyncIterable<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}
