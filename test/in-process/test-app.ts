import { inject } from "light-my-request";
import pino from "pino";
import { loadConfig } from "../../src/config/load-config.js";
import type { ModelCatalog } from "../../src/copilot/models.js";
import { parseModelList } from "../../src/copilot/models.js";
import type { Metrics } from "../../src/metrics/create-metrics.js";
import { createAccounting, type Accounting } from "../../src/ledger/create-accounting.js";
import { openDatabase } from "../../src/store/database.js";
import { createUi, type Ui, type UiOptions } from "../../src/server/ui/create-ui.js";
import { createApp, type App, type AppDependencies } from "../../src/server/create-app.js";
import { readFixtureText } from "../fake-copilot/fixtures.js";
import { fixturesDir } from "../fixtures-dir.js";
import {
  createFakeCopilotClient,
  type CannedAnswers,
  type FakeCopilotClient,
} from "./fake-copilot-client.js";

/** A client's GitHub token: authenticates every API route of a test app. */
export const GITHUB_TOKEN = "ghu_InProcessTestToken";
export const AUTHORIZED = { authorization: `Bearer ${GITHUB_TOKEN}` } as const;

/** The clock of every test app: answers that carry a `created` time carry this one. */
export const NOW_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export interface TestAppOptions {
  /** Settings as environment variables, through the real loadConfig. */
  readonly env?: Readonly<Record<string, string>>;
  /** What the fake Copilot answers, per upstream path. */
  readonly answers?: CannedAnswers;
  readonly serverGithubToken?: string;
  /** Served at /metrics when given. */
  readonly metrics?: Metrics;
  /** The clock (default: NOW_MS, fixed). */
  readonly now?: () => number;
  /** Serves the dashboard (/ui) with these parts; the rest are the test app's own. */
  readonly ui?: Partial<Omit<UiOptions, "config" | "accounting" | "models" | "now">>;
}

export interface TestApp {
  readonly app: App;
  readonly copilot: FakeCopilotClient;
  /** The GitHub token of each model-list look-up. */
  readonly modelLookups: string[];
  /** Every log record (warnings, errors and request lines), in order. */
  readonly logs: Record<string, unknown>[];
  /** The ledger, keys, prices and account states the app uses (an in-memory database). */
  readonly accounting: Accounting;
  /** The dashboard, when `ui` was given. */
  readonly ui: Ui | undefined;
}

/**
 * The whole gateway (`createApp`) with a fake Copilot client, the recorded model list of
 * 2026-03-28 as its catalog, a fixed clock and a logger that keeps its records for the test.
 */
export function createTestApp(options: TestAppOptions = {}): TestApp {
  const { config } = loadConfig({ env: options.env ?? {} });
  const copilot = createFakeCopilotClient(options.answers ?? {});
  const recorded = parseModelList(
    JSON.parse(readFixtureText(fixturesDir, "models/models.2026-03-28.json")),
  );
  const modelLookups: string[] = [];
  const models: ModelCatalog = {
    async getModels(githubToken) {
      modelLookups.push(githubToken);
      return recorded;
    },
  };
  const logs: Record<string, unknown>[] = [];
  const logger = Object.assign(
    pino({ level: "info" }, { write: (line: string) => logs.push(JSON.parse(line)) }),
    {
      request(level: string, record: Record<string, unknown>) {
        logs.push({ level, ...record });
      },
    },
  );
  const now = options.now ?? (() => NOW_MS);
  const accounting = createAccounting(openDatabase(":memory:"), {
    now,
    retentionDays: config.ledgerRetentionDays,
    warn: (message) => logger.warn(message),
  });
  const ui =
    options.ui === undefined
      ? undefined
      : createUi({
          directory: "/nonexistent/dist/ui",
          version: "0.0.0-test",
          cacheKind: () => "memory",
          storageDriver: () => "test-driver",
          serverGithubToken: options.serverGithubToken,
          metrics: options.metrics,
          ...options.ui,
          config,
          accounting,
          models,
          now,
        });
  const deps: AppDependencies = {
    config,
    copilot,
    models,
    logger,
    version: "0.0.0-test",
    cacheKind: () => "memory",
    now,
    serverGithubToken: options.serverGithubToken,
    verifyGithubToken: async () => undefined,
    metrics: options.metrics,
    accounting,
    savedAccount: options.ui?.savedAccount,
    ui,
  };
  return { app: createApp(deps), copilot, modelLookups, logs, accounting, ui };
}

export interface TestRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string as it is. */
  readonly payload?: string | object;
  /** The client's address (default 127.0.0.1: a client on this machine). */
  readonly remoteAddress?: string;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
  /** The body parsed as JSON. */
  json(): unknown;
}

/** Sends one request to the app in-process (no socket) and waits for the whole answer. */
export async function request(app: App, options: TestRequest): Promise<TestResponse> {
  const response = await inject(
    (incoming, outgoing) => {
      // The payload is whole in memory: like a Node request whose body has fully arrived.
      (incoming as { complete?: boolean }).complete = true;
      app.handle(incoming, outgoing);
    },
    {
      method: options.method as "GET",
      url: options.url,
      headers: { ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
      ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
    },
  );
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
    json: () => response.json<unknown>(),
  };
}

/** The `data:` payloads of an event stream, each with its `event:` name if it had one. */
export function readSseEvents(text: string): { event?: string; data: string }[] {
  const events: { event?: string; data: string }[] = [];
  for (const block of text.split("\n\n")) {
    if (block.trim() === "") continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice("event: ".length);
      else if (line.startsWith("data: ")) data.push(line.slice("data: ".length));
    }
    events.push(event === undefined ? { data: data.join("\n") } : { event, data: data.join("\n") });
  }
  return events;
}
