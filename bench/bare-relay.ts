import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { FAKE_CLIENT_HEADERS } from "../test/fake-copilot/fake-client.js";

/**
 * The benchmark's reference hop (`npm run bench -- --hop bare-relay`): the least any gateway
 * built on the same blocks (node:http in, one undici Agent out) must do per request. It reads the
 * body and parses it (a gateway must at least find the model), sends it to Copilot with the
 * same headers the gateway sends, and relays the answer's bytes untouched: no authentication,
 * no validation, no normalisation, no logging, no error handling. Never a product, only a
 * measure of what the hop itself costs on this machine, so the gateway's numbers can be read
 * against it. Configured like the gateway (HOST, PORT, GITHUB_API_URL); says where it listens
 * the same way.
 */

interface CopilotSeat {
  readonly token: string;
  readonly apiUrl: string;
}

const githubApiUrl = process.env["GITHUB_API_URL"] ?? "";
const agent = new Agent({ connections: 1024 });
const seats = new Map<string, Promise<CopilotSeat>>();

function seatFor(githubToken: string): Promise<CopilotSeat> {
  let seat = seats.get(githubToken);
  if (seat === undefined) {
    seat = exchange(githubToken);
    seats.set(githubToken, seat);
  }
  return seat;
}

async function exchange(githubToken: string): Promise<CopilotSeat> {
  const response = await request(`${githubApiUrl}/copilot_internal/v2/token`, {
    headers: { ...FAKE_CLIENT_HEADERS, authorization: `token ${githubToken}` },
  });
  const body = (await response.body.json()) as { token: string; endpoints: { api: string } };
  return { token: body.token, apiUrl: body.endpoints.api };
}

async function relay(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  const parsed = JSON.parse(raw.toString("utf8")) as { model?: unknown };
  if (typeof parsed.model !== "string") throw new Error("no model");
  const seat = await seatFor((incoming.headers.authorization ?? "").slice("Bearer ".length));
  const url = new URL(seat.apiUrl + (incoming.url ?? "/").replace(/^\/v1/, ""));
  const upstream = await agent.request({
    origin: url.origin,
    path: url.pathname,
    method: "POST",
    headers: {
      "content-type": "application/json",
      "copilot-integration-id": FAKE_CLIENT_HEADERS["copilot-integration-id"] ?? "",
      "editor-version": FAKE_CLIENT_HEADERS["editor-version"] ?? "",
      "editor-plugin-version": FAKE_CLIENT_HEADERS["editor-plugin-version"] ?? "",
      "user-agent": FAKE_CLIENT_HEADERS["user-agent"] ?? "",
      "x-github-api-version": FAKE_CLIENT_HEADERS["x-github-api-version"] ?? "",
      authorization: `Bearer ${seat.token}`,
      "openai-intent": "conversation-panel",
      "x-initiator": "user",
      "x-request-id": randomUUID(),
      "vscode-machineid": "bench",
      "vscode-sessionid": "bench",
    },
    body: raw,
  });
  outgoing.writeHead(upstream.statusCode, {
    "content-type": String(upstream.headers["content-type"] ?? "application/json"),
  });
  for await (const chunk of upstream.body as AsyncIterable<Buffer>) outgoing.write(chunk);
  outgoing.end();
}

const server = createServer((incoming, outgoing) => {
  relay(incoming, outgoing).catch((error: unknown) => {
    outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
  });
});
server.listen(Number(process.env["PORT"] ?? 0), process.env["HOST"] ?? "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stderr.write(`bare relay listening on http://127.0.0.1:${port}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
