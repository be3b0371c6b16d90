import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeCopilot, type FakeCopilot } from "../fake-copilot/fake-copilot.js";
import { startGatewayProcess, type GatewayProcess } from "./gateway-process.js";

// 1,000 clients that start a streamed answer and never read it: the gateway's memory stays under
// the cap the README states ("Limits against abuse"), and it keeps answering others.

const MB = 1024 * 1024;
const CLIENTS = 1_000;
const RSS_CAP = 300 * MB;
// Spread over credentials so that CREDENTIAL_CONCURRENCY (256) serves them all.
const CREDENTIALS = Array.from(
  { length: 5 },
  (_, i) => `ghu_SlowReaderCredential${i}xxxxxxxxxxxxxx`,
);

/** A streamed request of about 0.9 MB of answer, on a socket that is never read. */
function openNonReader(url: string, token: string): Socket {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({
    model: "gpt-4o",
    stream: true,
    messages: [{ role: "user", content: "hi ".repeat(2_000) }],
  });
  const socket = connect(Number(port), hostname);
  socket.on("error", () => undefined);
  socket.pause();
  socket.write(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return socket;
}

describe("1,000 clients that never read their streams", () => {
  let fake: FakeCopilot;
  let gateway: GatewayProcess;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    fake = await startFakeCopilot({
      chunkDelayMs: 20,
      recordRequests: false,
      accounts: Object.fromEntries(CREDENTIALS.map((token) => [token, {}])),
    });
    gateway = await startGatewayProcess(fake);
  });
  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await gateway.close();
    await fake.close();
  });

  it(`keep the gateway under ${RSS_CAP / MB} MB, and it keeps answering`, async () => {
    let peak = gateway.rssBytes();
    const sampler = setInterval(() => (peak = Math.max(peak, gateway.rssBytes())), 50);
    for (let i = 0; i < CLIENTS; i++) {
      sockets.push(openNonReader(gateway.url, CREDENTIALS[i % CREDENTIALS.length] ?? ""));
      if (i % 50 === 49) await sleep(25);
    }
    await sleep(6_000);
    const health = await fetch(`${gateway.url}/healthz`, { signal: AbortSignal.timeout(15_000) });
    clearInterval(sampler);
    expect(health.status).toBe(200);
    expect(peak).toBeLessThan(RSS_CAP);
  }, 60_000);
});
