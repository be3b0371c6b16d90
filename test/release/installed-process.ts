import { spawn, type ChildProcess } from "node:child_process";

/** A gateway started from an installed package or an archive, and what it printed. */
export interface ServedGateway {
  readonly url: string;
  /** Milliseconds from the spawn to the "listening on" line. */
  readonly listeningAfterMs: number;
  readonly startedAt: number;
  output(): string;
  close(): Promise<void>;
}

/** Spawns `command` (a `serve` of some kind) and resolves once it says where it listens. */
export function serveFrom(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ServedGateway> {
  const startedAt = performance.now();
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { HOST: "127.0.0.1", PORT: "0", LOG_FILE: "", LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not listen in time:\n${printed}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /listening on (http:\/\/\S+?) /.exec(printed)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.off("exit", onEarlyExit);
      resolve({
        url,
        startedAt,
        listeningAfterMs: performance.now() - startedAt,
        output: () => printed,
        async close() {
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${String(code)} before listening:\n${printed}`));
    };
    child.once("exit", onEarlyExit);
  });
}

/** One chat completion through the gateway with the fake's GitHub token; returns the reply text. */
export async function chatThrough(url: string, githubToken: string): Promise<string> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${githubToken}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
  });
  const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
  if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return body.choices?.[0]?.message?.content ?? "";
}
