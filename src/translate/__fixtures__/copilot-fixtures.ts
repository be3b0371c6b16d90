// Test helper: reads the recordings of the real Copilot service kept in test/fixtures/copilot.
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { fixturesDir } from "../../../test/fixtures-dir.js";
import { createSseParser } from "../../sse/parse-sse.js";

export async function readCopilotFixture(relativePath: string): Promise<string> {
  return readFile(path.join(fixturesDir, relativePath), "utf8");
}

export async function readCopilotFixtureJson(relativePath: string): Promise<unknown> {
  return JSON.parse(await readCopilotFixture(relativePath)) as unknown;
}

/** The `data` payloads of a recorded SSE transcript, in order, `[DONE]` included. */
export async function readCopilotFixtureSseData(relativePath: string): Promise<string[]> {
  const parser = createSseParser();
  const events = [...parser.feed(await readCopilotFixture(relativePath)), ...parser.end()];
  return events.map((event) => event.data);
}
