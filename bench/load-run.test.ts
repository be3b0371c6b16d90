import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPeakOverlap, runLoad, runPairedLoad } from "./load-run.js";
import type { LoadScenario } from "./load-types.js";

const CHUNK = 'data: {"choices":[{"delta":{"content":"x"}}]}\n\n';
const PROMPT_FILTER = 'data: {"choices":[],"prompt_filter_results":[]}\n\n';
const DONE = "data: [DONE]\n\n";

/** Answers by path: /plain, /stream (3 chunks 20 ms apart), /cut (no [DONE]), /error-event, /500. */
async function answer(path: string, res: ServerResponse): Promise<void> {
  switch (path) {
    case "/plain":
      res.writeHead(200, { "content-type": "application/json" }).end('{"choices":[]}');
      return;
    case "/500":
      res.writeHead(500).end("boom");
      return;
    case "/stream":
      res.writeHead(200, { "content-type": "text/event-stream" });
      // The prompt-filter event and the first chunk in one write: one arrival time.
      res.write(PROMPT_FILTER + CHUNK);
      for (const event of [CHUNK, CHUNK, DONE]) {
        await sleep(20);
        res.write(event);
      }
      res.end();
      return;
    case "/cut":
      res.writeHead(200, { "content-type": "text/event-stream" }).end(CHUNK + CHUNK);
      return;
    case "/error-event":
      res
        .writeHead(200, { "content-type": "text/event-stream" })
        .end(`${CHUNK}data: {"error":{"message":"upstream broke"}}\n\n`);
      return;
    default:
      res.writeHead(404).end();
  }
}

let server: Server;
let base: string;
const agent = new Agent({ connections: 4 });

beforeAll(async () => {
  server = createServer((req, res) => void answer(req.url ?? "", res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  await new Promise((resolve) => server.close(resolve));
});

function scenario(path: string, extra: Partial<LoadScenario>): LoadScenario {
  return {
    url: `${base}${path}`,
    headers: {},
    body: "{}",
    stream: false,
    concurrency: 1,
    ...extra,
  };
}

describe("runLoad", () => {
  it("counts plain answers and sends exactly `requests` of them", async () => {
    const result = await runLoad(scenario("/plain", { requests: 7, concurrency: 3 }), agent);
    expect([result.completed, result.errors, result.latenciesMs.length]).toEqual([7, 0, 7]);
  });

  it("reports a non-200 answer as an error with its status and body", async () => {
    const result = await runLoad(scenario("/500", { requests: 2 }), agent);
    expect([result.completed, result.errors]).toEqual([0, 2]);
    expect(result.errorSamples).toEqual(["status 500: boom", "status 500: boom"]);
  });

  it("times a stream's chunks, not counting events without a delta", async () => {
    const result = await runLoad(
      scenario("/stream", { stream: true, requests: 1, recordGaps: true }),
      agent,
    );
    expect([result.completed, result.errors, result.chunksMin, result.chunksMax]).toEqual([
      1, 0, 4, 4,
    ]);
    // Three gaps of about 20 ms; only their sum is steady on a busy machine (a late write
    // shortens the next gap).
    expect(result.gapsMs).toHaveLength(3);
    const total = result.gapsMs.reduce((sum, gap) => sum + gap, 0);
    expect(total).toBeGreaterThan(40);
    expect(total).toBeLessThan(1_000);
    expect(result.firstChunkMs[0]).toBeLessThan(result.latenciesMs[0]! - 40);
  });

  it("fails a stream that ends without [DONE] or carries an error event", async () => {
    const cut = await runLoad(scenario("/cut", { stream: true, requests: 1 }), agent);
    expect(cut.errorSamples).toEqual(["stream ended without [DONE] after 2 chunks"]);
    const broken = await runLoad(scenario("/error-event", { stream: true, requests: 1 }), agent);
    expect(broken.errorSamples).toEqual([
      'error event: data: {"error":{"message":"upstream broke"}}',
    ]);
  });

  it("needs a duration or a request count", async () => {
    await expect(runLoad(scenario("/plain", {}), agent)).rejects.toThrow(
      "a scenario needs durationMs or requests",
    );
  });
});

describe("runPairedLoad", () => {
  it("alternates each loop's requests between A and B, counting each side apart", async () => {
    const result = await runPairedLoad(
      {
        a: { url: `${base}/plain`, headers: {} },
        b: { url: `${base}/500`, headers: {} },
        body: "{}",
        stream: false,
        concurrency: 2,
        requests: 6,
      },
      { a: agent, b: agent },
    );
    // Loop 0 goes A, B, A…, loop 1 B, A, B…: an even total splits evenly whatever the timing.
    expect([result.a.completed, result.a.errors, result.b.completed, result.b.errors]).toEqual([
      3, 0, 0, 3,
    ]);
    expect(result.b.errorSamples).toEqual([
      "status 500: boom",
      "status 500: boom",
      "status 500: boom",
    ]);
  });
});

describe("countPeakOverlap", () => {
  it("finds the most intervals open at once; touching ones do not overlap", () => {
    expect(countPeakOverlap([0, 1, 2, 10], [5, 3, 4, 11])).toBe(3);
    expect(countPeakOverlap([0, 5], [5, 10])).toBe(1);
    expect(countPeakOverlap([], [])).toBe(0);
  });
});
