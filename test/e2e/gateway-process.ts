import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeCopilot } from "../fake-copilot/fake-copilot.js";
import { MAIN } from "./cli-run.js";

/** `cogpt serve` in a process of its own, so its memory can be measured apart from the test's. */
export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  /** Resident memory of the gateway process now, in bytes (from /proc). */
  rssBytes(): number;
  /** Everything it printed so far. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts the built gateway (`main`: another copy of the CLI, e.g. an install) against the fake
 * upstream, with `env` on top of test defaults.
 */
export function startGatewayProcess(
  fake: FakeCopilot,
  env: Record<string, string> = {},
  main = MAIN,
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), "cogpt-process-"));
  const child = spawn(process.execPath, [main, "serve"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      COGPT_CONFIG_DIR: join(dir, "config"),
      HOST: "127.0.0.1",
      PORT: "0",
      CACHE_PATH: join(dir, "cache.sqlite3"),
      LOG_FILE: "",
      LOG_LEVEL: "info",
      GITHUB_URL: fake.githubUrl,
      GITHUB_API_URL: fake.githubUrl,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  child.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the gateway did not start in 10 s:\n${printed}`));
    }, 10_000);
    const onData = () => {
      const url = /listening on (http:\/\/\S+?) /.exec(printed)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stderr.off("data", onData);
      resolve({
        url,
        pid: child.pid ?? 0,
        rssBytes: () => readRss(child.pid ?? 0),
        output: () => printed,
        async close() {
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    // The console log goes to either stream, depending on the level.
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${String(code)} before listening:\n${printed}`));
    });
  });
}

function readRss(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return 0; // the process has ended
  }
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}
