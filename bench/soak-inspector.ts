import { WebSocket } from "undici";

/** Full garbage collections and heap sizes of another Node process, over its inspector socket. */
export interface HeapProbe {
  /** Runs a full GC, then gives the JS heap in use, MB. */
  collectAndMeasure(): Promise<number>;
  close(): void;
}

const CALL_TIMEOUT_MS = 10_000;

/**
 * RSS swings by tens of MB between major GCs, far more than a slow leak adds in a short run;
 * measuring right after a forced full GC removes that noise.
 */
export async function connectHeapProbe(webSocketUrl: string): Promise<HeapProbe> {
  const socket = new WebSocket(webSocketUrl);
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  let nextId = 1;
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message?: string };
    };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (waiter === undefined || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined)
      waiter.reject(new Error(message.error.message ?? "inspector error"));
    else waiter.resolve(message.result);
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("cannot open the inspector socket")), {
      once: true,
    });
  });
  socket.addEventListener("close", () => {
    for (const waiter of pending.values()) waiter.reject(new Error("inspector socket closed"));
    pending.clear();
  });

  const call = (method: string): Promise<unknown> => {
    const id = nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`inspector: no answer to ${method}`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    socket.send(JSON.stringify({ id, method }));
    return answer;
  };

  return {
    async collectAndMeasure() {
      await call("HeapProfiler.collectGarbage");
      const usage = (await call("Runtime.getHeapUsage")) as { usedSize?: number };
      return (usage.usedSize ?? 0) / (1024 * 1024);
    },
    close() {
      socket.close();
    },
  };
}
