import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  accountOfRequest,
  admitModelRequest,
  commitBill,
  describeUsage,
  quotaHeaders,
  setAccountLimits,
  usageOf,
} from "./account-limits.js";
import { outputTokensWritten } from "./billing.js";
import { checkCopilotRequest, routeCopilotRequest } from "./copilot-routes.js";
import type {
  FakeCopilot,
  FakeCopilotOptions,
  FakeFault,
  RecordedRequest,
} from "./fake-copilot-types.js";
import { FAKE_GITHUB_TOKEN } from "./fake-copilot-types.js";
import type { FakeResponse, WriteResult } from "./fake-response.js";
import {
  guessContentType,
  readRequestBody,
  splitSseText,
  TEXT_PLAIN,
  writeFakeResponse,
} from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { createFakeState, registerAccount } from "./fake-state.js";
import { loadFixtures, locateFixturesDir, readFixtureText } from "./fixtures.js";
import { handleGithubRequest } from "./github-routes.js";
import { createRandomFaults } from "./random-faults.js";
import { attachResponsesWebSocket } from "./responses-websocket.js";

export type {
  FakeAccount,
  FakeBillingRecord,
  FakeCacheTokens,
  FakeCopilot,
  FakeCopilotOptions,
  FakeFault,
  FakeLimitErrorCode,
  FakeLimits,
  FakeTokenPrices,
  FakeWindowState,
  RandomFaultEvent,
  RandomFaultKind,
  RandomFaultOptions,
  RecordedRequest,
  ScriptedAnswer,
  ScriptedMatch,
  ScriptedRefusal,
  ScriptedRoute,
} from "./fake-copilot-types.js";
export { RANDOM_FAULT_MESSAGES, RANDOM_FAULT_RETRY_AFTER } from "./random-faults.js";
export { FAKE_GITHUB_TOKEN } from "./fake-copilot-types.js";
export { copilotUsageOf, defaultTokenPrices, PRICE_BATCH_SIZE } from "./billing.js";
export { fakeEmbedding } from "./embeddings.js";
export { FAKE_CLIENT_HEADERS, fakeCopilotHeaders, fetchFakeCopilotToken } from "./fake-client.js";

interface QueuedFault {
  readonly fault: FakeFault;
  remaining: number;
}

/**
 * Starts a fake GitHub (token exchange, user) and a fake Copilot API on two loopback servers,
 * behaving as docs/upstream-protocol.md describes, answering from the recordings in
 * test/fixtures/copilot (or COGPT_FIXTURES_DIR).
 */
export async function startFakeCopilot(options: FakeCopilotOptions = {}): Promise<FakeCopilot> {
  const fixtures = loadFixtures(options.fixturesDir ?? locateFixturesDir());
  const state = createFakeState(options, fixtures);
  const requests: RecordedRequest[] = [];
  const faults: QueuedFault[] = [];
  const replays = new Map<string, FakeResponse[]>();
  const recordRequests = options.recordRequests ?? true;
  const drawRandomFault =
    options.randomFaults === undefined ? undefined : createRandomFaults(options.randomFaults);

  const takeFault = (path: string): FakeFault | undefined => {
    const index = faults.findIndex((queued) => queued.fault.path === path);
    const queued = faults[index];
    if (queued === undefined) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) faults.splice(index, 1);
    return queued.fault;
  };
  const takeReplay = (path: string): FakeResponse | undefined => replays.get(path)?.shift();

  const answer = async (
    server: RecordedRequest["server"],
    request: RecordedRequest,
  ): Promise<FakeResponse> => {
    if (server === "github") {
      return takeReplay(request.path) ?? handleGithubRequest(state, request);
    }
    // A replay stands in for the route only: the token and header checks still apply.
    const refused = checkCopilotRequest(state, request);
    if (refused !== undefined) return refused;
    // Model routes: the quota headers as they stand, or a limit refusal (account-limits.ts).
    const admission = admitModelRequest(state, request);
    if (admission.kind === "refused") return admission.response;
    const response = takeReplay(request.path) ?? routeCopilotRequest(state, request);
    if (admission.kind === "not-billed") return response;
    const headers = { ...response.headers, ...admission.headers };
    const bill =
      response.bill === undefined ? {} : { bill: { ...response.bill, account: admission.account } };
    return { ...response, headers, ...bill };
  };

  /** Bills an answer as far as it was written: a cut stream for the output it carried. */
  const billWritten = (response: FakeResponse, written: WriteResult): void => {
    const { bill } = response;
    if (bill === undefined || response.status !== 200) return;
    if (response.kind === "body") {
      if (written.complete) commitBill(state, bill, bill.tokens.output, true);
      return;
    }
    const output = written.complete
      ? bill.tokens.output
      : Math.min(
          bill.tokens.output,
          outputTokensWritten(bill.endpoint, response.events, written.eventsWritten),
        );
    commitBill(state, bill, output, written.complete);
  };

  const handle = async (
    server: RecordedRequest["server"],
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    try {
      const request = await recordRequest(server, req);
      if (recordRequests) requests.push(request);
      const fault = takeFault(request.path) ?? drawRandomFault?.(request);
      if (fault !== undefined && "reset" in fault) {
        req.socket.destroy();
        return;
      }
      if (fault !== undefined && "delayMs" in fault) await sleep(fault.delayMs);
      const response =
        fault !== undefined && "status" in fault
          ? faultResponse(fault)
          : await answer(server, request);
      const dropAfterChunks =
        fault !== undefined && "dropAfterChunks" in fault ? fault.dropAfterChunks : undefined;
      const written = await writeFakeResponse(res, withRequestIds(state, response), {
        chunkDelayMs:
          (response.kind === "stream" ? response.chunkDelayMs : undefined) ?? state.chunkDelayMs,
        dropAfterChunks,
      });
      billWritten(response, written);
    } catch (error) {
      if (res.headersSent) res.destroy();
      else
        res.writeHead(500, { "content-type": TEXT_PLAIN }).end(`fake-copilot: ${String(error)}\n`);
    }
  };

  const githubServer = createServer((req, res) => void handle("github", req, res));
  const copilotServer = createServer((req, res) => void handle("copilot", req, res));
  const servers = [githubServer, copilotServer];
  const webSockets = attachResponsesWebSocket(copilotServer, {
    state,
    record: (request) => {
      if (recordRequests) requests.push(request);
    },
    check: (request) => checkCopilotRequest(state, request),
    admit: (request) => admitModelRequest(state, request),
    upgradeHeaders: (request) => {
      const account = accountOfRequest(state, request);
      return account === undefined ? {} : quotaHeaders(usageOf(state, account));
    },
    bill: billWritten,
  });
  try {
    state.githubUrl = await listen(githubServer, options.githubPort ?? 0);
    state.copilotUrl = await listen(copilotServer, options.copilotPort ?? 0);
  } catch (error) {
    await closeServers(servers);
    throw error;
  }

  return {
    githubUrl: state.githubUrl,
    copilotUrl: state.copilotUrl,
    get requests() {
      return requests;
    },
    tokenExchangeCount(githubToken?: string): number {
      if (githubToken !== undefined) return state.exchangeCounts.get(githubToken) ?? 0;
      let total = 0;
      for (const count of state.exchangeCounts.values()) total += count;
      return total;
    },
    addAccount(githubToken, account = {}) {
      registerAccount(state, githubToken, account);
    },
    expireAllTokens() {
      state.revokedUpToSerial = state.tokenSerial;
    },
    injectFault(fault) {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    replayNext(path, fixture) {
      const queue = replays.get(path) ?? [];
      queue.push(loadReplay(state, fixture));
      replays.set(path, queue);
    },
    scriptNext(route, answer, match = {}) {
      if (route !== "/responses" && "degenerateToolCall" in answer) {
        throw new Error("fake-copilot: degenerateToolCall is for /responses only");
      }
      const times = "refuse" in answer ? (answer.times ?? 1) : 1;
      for (let count = 0; count < times; count++) state.scripted.push({ route, answer, match });
    },
    get billing() {
      return state.billing;
    },
    setLimits(limits, githubToken = FAKE_GITHUB_TOKEN) {
      setAccountLimits(state, githubToken, limits);
    },
    limitState(githubToken = FAKE_GITHUB_TOKEN) {
      return describeUsage(usageOf(state, githubToken));
    },
    reset() {
      requests.length = 0;
      state.scripted.length = 0;
      state.billing.length = 0;
      state.usage.clear();
      faults.length = 0;
      replays.clear();
      state.completionSerial = 0;
      state.toolCallSerial = 0;
    },
    close: () => {
      webSockets.close();
      return closeServers(servers);
    },
  };
}

async function recordRequest(
  server: RecordedRequest["server"],
  req: IncomingMessage,
): Promise<RecordedRequest> {
  const body = await readRequestBody(req);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const url = req.url ?? "/";
  const queryStart = url.indexOf("?");
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return { server, method: req.method ?? "GET", path, headers, body };
}

function faultResponse(fault: { status: number; body: string; headers?: Record<string, string> }) {
  const headers = { "content-type": guessContentType(fault.body), ...fault.headers };
  return { kind: "body", status: fault.status, headers, body: fault.body } satisfies FakeResponse;
}

/** Every Copilot and GitHub answer carries the request ids support asks for. */
function withRequestIds(state: FakeState, response: FakeResponse): FakeResponse {
  state.responseSerial += 1;
  const serial = state.responseSerial.toString(16).toUpperCase().padStart(6, "0");
  const ids = {
    "x-request-id": randomUUID(),
    "x-copilot-service-request-id": randomUUID(),
    "x-github-request-id": `FAKE:${serial}:0:0:${Math.floor(state.now() / 1000)
      .toString(16)
      .toUpperCase()}`,
  };
  return { ...response, headers: { ...ids, ...response.headers } };
}

function loadReplay(state: FakeState, fixture: string): FakeResponse {
  const text = readFixtureText(state.fixtures.dir, fixture);
  if (fixture.endsWith(".sse")) {
    const headers = { "content-type": "text/event-stream" };
    return { kind: "stream", status: 200, headers, events: splitSseText(text) };
  }
  const contentType = fixture.endsWith(".json") ? "application/json" : TEXT_PLAIN;
  return { kind: "body", status: 200, headers: { "content-type": contentType }, body: text };
}

function listen(server: Server, port: number): Promise<string> {
  // Keep idle connections open across a benchmark's pauses; close() ends them explicitly.
  server.keepAliveTimeout = 30_000;
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolvePromise(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

async function closeServers(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolvePromise) => {
          if (!server.listening) {
            resolvePromise();
            return;
          }
          server.close(() => resolvePromise());
          server.closeAllConnections();
        }),
    ),
  );
}
