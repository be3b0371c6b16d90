import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  LoadResult,
  LoadScenario,
  PairedLoadResult,
  PairedLoadScenario,
} from "./load-types.js";

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** A child process of the benchmark; it must stay alive until `stop()`. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** Throws if the process exited before `stop()` was called. */
  assertAlive(): void;
  /** SIGTERM, then SIGKILL after a grace time. */
  stop(): Promise<void>;
}

interface WatchedChild extends BenchChild {
  exited(): boolean;
}

export interface FakeProcess extends BenchChild {
  readonly githubUrl: string;
  readonly copilotUrl: string;
  readonly githubToken: string;
}

export interface GatewayProcess extends BenchChild {
  readonly url: string;
}

export interface LoadGenerator extends BenchChild {
  run(scenario: LoadScenario): Promise<LoadResult>;
  runPaired(scenario: PairedLoadScenario): Promise<PairedLoadResult>;
}

/** `node dist/test/fake-copilot/main.js <args>`, ready once it printed its URLs. */
export async function startFakeProcess(entry: string, args: string[]): Promise<FakeProcess> {
  const child = spawn(process.execPath, [entry, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const handle = watchChild(`fake upstream (${args.join(" ")})`, child);
  child.stderr.resume();
  const lines = createInterface({ input: child.stdout });
  let first: string;
  try {
    first = await withTimeout(
      new Promise<string>((resolve, reject) => {
        lines.once("line", resolve);
        child.once("exit", () => reject(new Error(`${handle.name} exited before it listened`)));
      }),
      `${handle.name} did not start`,
    );
  } catch (error) {
    await handle.stop();
    throw error;
  }
  lines.close();
  child.stdout.resume();
  const urls = JSON.parse(first) as { githubUrl: string; copilotUrl: string; githubToken: string };
  return { ...handle, ...urls };
}

/**
 * `node dist/src/main.js serve` in an empty temp directory (no developer `.env` is read), logging
 * at info level to LOG_FILE as in production. Its console lines go to a file, not a pipe, so
 * nobody has to keep reading them and a slow reader cannot hold the gateway back.
 */
export async function startGatewayProcess(
  hop: { readonly entry: string; readonly args: readonly string[] },
  githubUrl: string,
  /** Extra environment (ADMIN_KEY for the dashboard's event stream). */
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), "cogpt-bench-"));
  const consolePath = join(dir, "console.log");
  const consoleFd = openSync(consolePath, "w");
  const child = spawn(process.execPath, [hop.entry, ...hop.args], {
    cwd: dir,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      GITHUB_API_URL: githubUrl,
      CACHE_PATH: join(dir, "cache.sqlite3"),
      // No saved login from the developer's ~/.config/cogpt: nothing outside the run is read.
      COGPT_CONFIG_DIR: dir,
      LOG_FILE: join(dir, "cogpt.log"),
      LOG_LEVEL: "info",
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", consoleFd],
  });
  closeSync(consoleFd);
  const watched = watchChild("gateway", child);
  const handle: BenchChild = {
    ...watched,
    stop: async () => {
      await watched.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const url = /listening on (http:\/\/[\d.]+:\d+)/.exec(readFileSync(consolePath, "utf8"))?.[1];
    if (url !== undefined) return { ...handle, url };
    if (Date.now() > deadline || watched.exited()) {
      const tail = readFileSync(consolePath, "utf8").trimEnd().split("\n").slice(-5).join("\n");
      await handle.stop();
      throw new Error(`the gateway did not start listening:\n${tail}`);
    }
    await sleep(50);
  }
}

/** `node dist/bench/load-generator.js`: one scenario at a time over its stdin and stdout. */
export function startLoadGenerator(entry: string): LoadGenerator {
  const child = spawn(process.execPath, [entry], { stdio: ["pipe", "pipe", "inherit"] });
  const handle = watchChild("load generator", child);
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(line));
  const exchange = <T>(scenario: LoadScenario | PairedLoadScenario): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onExit = (): void => reject(new Error("the load generator exited"));
      child.once("exit", onExit);
      waiting.push((line) => {
        child.off("exit", onExit);
        resolve(JSON.parse(line) as T);
      });
      child.stdin.write(`${JSON.stringify(scenario)}\n`);
    });
  return {
    ...handle,
    run: (scenario) => exchange<LoadResult>(scenario),
    runPaired: (scenario) => exchange<PairedLoadResult>(scenario),
    stop: async () => {
      child.stdin.end();
      await handle.stop();
    },
  };
}

function watchChild(name: string, child: ChildProcess): WatchedChild {
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const pid = child.pid;
  let exit: string | undefined;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = signal === null ? `exit code ${code}` : `signal ${signal}`;
      resolve();
    });
  });
  // A benchmark that crashes must not leave its servers running.
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  return {
    name,
    pid,
    exited: () => exit !== undefined,
    assertAlive: () => {
      if (exit !== undefined && !stopping) throw new Error(`${name} died (${exit})`);
    },
    stop: async () => {
      stopping = true;
      process.off("exit", killOnExit);
      if (exit !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const WATCH_ADMIN_KEY = "bench-admin-key-0123456789";

/**
 * The dashboard's live table, as a browser holds it: the request event stream, read and thrown
 * away. Fails the run if the gateway does not serve it (a bench of nothing would mislead).
 */
export async function watchRequestStream(
  gatewayUrl: string,
  adminKey: string,
): Promise<BenchChild> {
  const controller = new AbortController();
  const response = await fetch(`${gatewayUrl}/ui/api/requests/stream`, {
    headers: { authorization: `Bearer ${adminKey}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  if (response.status !== 200 || response.body === null) {
    throw new Error(`the dashboard's request stream answered ${response.status}`);
  }
  const reader = response.body.getReader();
  let events = 0;
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      events += (
        Buffer.from(value)
          .toString("utf8")
          .match(/event: request/g) ?? []
      ).length;
    }
  })().catch(() => undefined);
  return {
    name: "request stream",
    pid: process.pid,
    assertAlive: () => undefined,
    stop: async () => {
      controller.abort();
      await reading;
      process.stderr.write(`request stream: ${events} events received\n`);
    },
  };
}
