import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  /** The ws:// address of its inspector, for forced GCs and heap sizes. */
  readonly inspectorUrl: string;
  /** Set once the process exited (during the run, that is a failure). */
  exit(): GatewayExit | undefined;
  /** The last lines it wrote to stderr (warnings and errors at LOG_LEVEL=warn). */
  readonly logTail: string[];
  /** Lines written to stderr so far. */
  logLineCount(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs?: number): Promise<GatewayStop>;
}

export interface GatewayExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GatewayStop extends GatewayExit {
  /** It did not end within the grace time after SIGTERM and was killed. */
  readonly killed: boolean;
}

const LOG_TAIL_LINES = 20;
const READY_TIMEOUT_MS = 15_000;
/** What Node itself prints about the inspector; not the gateway's log. */
const INSPECTOR_LINE =
  /^(Debugger listening on (ws:\/\/\S+)|For help, see: |Debugger attached|Waiting for the debugger)/;

/**
 * Runs `node <entry> serve` as its own process, so its memory is its own, in an empty working
 * directory (no developer `.env` or saved login is read) with only the environment given here.
 */
export async function startGatewayProcess(
  entry: string,
  env: Record<string, string>,
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), "cogpt-soak-"));
  // With LOG_LEVEL=warn the "listening on" line is not printed, so the port is chosen here.
  const port = await findFreePort();
  // The inspector (loopback, a free port) lets the soak force a full GC before measuring.
  const child = spawn(process.execPath, ["--inspect=127.0.0.1:0", entry, "serve"], {
    cwd: dir,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOST: "127.0.0.1",
      PORT: String(port),
      CACHE_PATH: join(dir, "cache.sqlite3"),
      // No saved login from the developer's ~/.config/cogpt: nothing outside the run is read.
      COGPT_CONFIG_DIR: dir,
      LOG_FILE: "",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let exit: GatewayExit | undefined;
  const exited = new Promise<GatewayExit>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const logTail: string[] = [];
  let lineCount = 0;
  let partial = "";
  let inspectorUrl: string | undefined;
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const inspector = INSPECTOR_LINE.exec(line);
      if (inspector !== null) {
        inspectorUrl ??= inspector[2];
        continue;
      }
      lineCount++;
      logTail.push(line);
      if (logTail.length > LOG_TAIL_LINES) logTail.shift();
    }
  });
  // A crashed soak run must not leave a gateway behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const url = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 5_000): Promise<GatewayStop> => {
    process.off("exit", killOnExit);
    let killed = false;
    if (exit === undefined) {
      child.kill("SIGTERM");
      const timer = sleep(graceMs).then(() => undefined);
      if ((await Promise.race([exited, timer])) === undefined) {
        killed = true;
        child.kill("SIGKILL");
      }
    }
    const ended = await exited;
    rmSync(dir, { recursive: true, force: true });
    return { ...ended, killed };
  };

  try {
    await waitUntilReady(url, child, () => exit);
    if (inspectorUrl === undefined) throw new Error("the gateway did not print its inspector URL");
  } catch (error) {
    await stop(1_000);
    const log = logTail.join("\n");
    throw new Error(`${(error as Error).message}${log === "" ? "" : `; its log:\n${log}`}`, {
      cause: error,
    });
  }
  return {
    url,
    pid: child.pid ?? 0,
    inspectorUrl,
    exit: () => exit,
    logTail,
    logLineCount: () => lineCount,
    stop,
  };
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  exit: () => GatewayExit | undefined,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ended = exit();
    if (ended !== undefined) {
      throw new Error(
        `the gateway exited at start-up (code ${ended.code}, signal ${ended.signal})`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`the gateway (pid ${child.pid}) did not answer /healthz within 15 s`);
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The resident set size of a process, MB, from /proc (Linux); undefined where unavailable. */
export function readRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
  } catch {
    return undefined;
  }
}
