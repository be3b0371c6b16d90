import { setTimeout as sleep } from "node:timers/promises";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
  type RandomFaultKind,
} from "../test/fake-copilot/fake-copilot.js";
import { LOAD_RUN_LIMITS } from "../test/fake-copilot/cli-options.js";
import { classifyFailure } from "./soak-classify.js";
import { connectHeapProbe } from "./soak-inspector.js";
import {
  readRssMb,
  startGatewayProcess,
  type GatewayProcess,
  type GatewayStop,
} from "./soak-gateway.js";
import type { SoakOptions } from "./soak-options.js";
import { createSoakStats, type SoakStats } from "./soak-stats.js";
import { createObservedClient, REQUEST_KINDS, sendRequest } from "./soak-traffic.js";

const SHARE_KEY = "share-soak";
export const FAULT_KINDS: readonly RandomFaultKind[] = [
  "500",
  "502",
  "503",
  "reset",
  "drop",
  "429",
];

export interface SoakResult {
  readonly options: SoakOptions;
  readonly stats: SoakStats;
  readonly elapsedMs: number;
  readonly tokenExchanges: number;
  readonly tokenRevocations: number;
  readonly faultsInjected: Readonly<Record<RandomFaultKind, number>>;
  readonly memory: MemoryReport | undefined;
  /** The gateway exited by itself during the run. */
  readonly gatewayDied: boolean;
  readonly gatewayStop: GatewayStop;
  /** Lines the gateway logged (LOG_LEVEL=warn: warnings and errors), and the last few. */
  readonly gatewayLogLines: number;
  readonly gatewayLogTail: readonly string[];
  /** Stopped early by SIGINT/SIGTERM. */
  readonly interrupted: boolean;
}

export interface MemoryReport {
  /** RSS after a full GC at the end of the warm-up and at the end of traffic, MB. */
  readonly startMb: number;
  readonly endMb: number;
  /** The highest RSS seen, MB. */
  readonly peakMb: number;
  /** The JS heap in use after those full GCs, MB. */
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  /** One RSS sample a second from the start of traffic, MB. */
  readonly samplesMb: readonly number[];
}

interface MemoryPoint {
  readonly rssMb: number;
  readonly heapMb: number;
}

interface Faults {
  readonly byRequest: Map<string, RandomFaultKind[]>;
  readonly injected: Record<RandomFaultKind, number>;
}

/**
 * Sustained mixed traffic through a gateway process against the in-process fake Copilot, with
 * short-lived and revoked Copilot tokens and random upstream faults. `stop` ends it early.
 */
export async function runSoak(options: SoakOptions, stop: AbortSignal): Promise<SoakResult> {
  const faults: Faults = {
    byRequest: new Map(),
    injected: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
      RandomFaultKind,
      number
    >,
  };
  const fake = await startFakeCopilot({
    tokenTtlSeconds: options.tokenTtlSeconds,
    recordRequests: false,
    // The soak measures the gateway under faults, not an account's limits.
    limits: LOAD_RUN_LIMITS,
    randomFaults: {
      rate: options.faultRate,
      kinds: FAULT_KINDS,
      seed: options.seed,
      onFault: ({ kind, requestId }) => {
        faults.injected[kind]++;
        if (requestId === undefined) return;
        const list = faults.byRequest.get(requestId);
        if (list === undefined) faults.byRequest.set(requestId, [kind]);
        else list.push(kind);
      },
    },
  });
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await startGatewayProcess(options.gatewayEntry, {
      GITHUB_URL: fake.githubUrl,
      GITHUB_API_URL: fake.githubUrl,
      SHARE_TOKEN: `${SHARE_KEY}:${FAKE_GITHUB_TOKEN}`,
      RETRIES: String(options.retries),
    });
    return await driveTraffic(options, stop, fake, gateway, faults);
  } finally {
    // Already stopped after a normal run (then this only waits); after an exception, not yet.
    await gateway?.stop();
    await fake.close();
  }
}

async function driveTraffic(
  options: SoakOptions,
  stop: AbortSignal,
  fake: FakeCopilot,
  gateway: GatewayProcess,
  faults: Faults,
): Promise<SoakResult> {
  const stats = createSoakStats();
  const samplesMb: number[] = [];
  const probe = await connectHeapProbe(gateway.inspectorUrl);
  let revocations = 0;
  let gatewayDied = false;
  const trafficEnd = new AbortController();
  const endTraffic = () => trafficEnd.abort();
  stop.addEventListener("abort", endTraffic, { once: true });
  const sample = (): number | undefined => {
    const rss = readRssMb(gateway.pid);
    if (rss !== undefined) samplesMb.push(rss);
    if (gateway.exit() !== undefined) {
      gatewayDied = true;
      endTraffic();
    }
    return rss;
  };
  const measure = async (): Promise<MemoryPoint | undefined> => {
    const heapMb = await probe.collectAndMeasure();
    const rssMb = sample();
    return rssMb === undefined ? undefined : { rssMb, heapMb };
  };
  let atWarmup: Promise<MemoryPoint | undefined> | undefined;
  const timers = [
    setInterval(sample, 1_000),
    setTimeout(() => {
      atWarmup = measure().catch(() => undefined);
    }, options.warmupMs),
    setTimeout(endTraffic, options.durationMs),
  ];
  if (options.revokeEveryMs > 0) {
    const revoke = () => {
      // Every Copilot token issued so far now gets 401: the gateway must refresh and retry.
      fake.expireAllTokens();
      revocations++;
    };
    timers.push(setInterval(revoke, options.revokeEveryMs));
  }

  const started = performance.now();
  let counter = 0;
  const worker = async (index: number) => {
    const clients = [
      createObservedClient(`${gateway.url}/v1`, FAKE_GITHUB_TOKEN),
      createObservedClient(`${gateway.url}/v1`, SHARE_KEY),
    ] as const;
    while (!trafficEnd.signal.aborted) {
      const n = counter++;
      const kind = REQUEST_KINDS[n % REQUEST_KINDS.length] ?? "chat";
      // Every third round of the mix goes through the share token.
      const client = clients[Math.floor(n / REQUEST_KINDS.length) % 3 === 2 ? 1 : 0];
      const timeout = AbortSignal.timeout(options.requestTimeoutMs);
      const text = `soak request ${n} from worker ${index}`;
      const begun = performance.now();
      try {
        const signal = AbortSignal.any([timeout, stop]);
        await sendRequest(kind, { ...client, signal, text });
        stats.recordSuccess(kind, performance.now() - begun);
      } catch (error) {
        if (stop.aborted) break;
        const failure = classifyFailure(error, {
          faultsOf: (id) => faults.byRequest.get(id) ?? [],
          retries: options.retries,
          timedOut: timeout.aborted,
        });
        // The gateway's request ids lead to its log lines about the failure.
        const ids = client.observation.requestIds.join(", ");
        const message = ids === "" ? failure.message : `${failure.message} [request ${ids}]`;
        stats.recordFailure(kind, performance.now() - begun, { ...failure, message });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - started;
  for (const timer of timers) clearTimeout(timer);
  stop.removeEventListener("abort", endTraffic);
  const start = await atWarmup;
  // Let the last responses' sockets and timers settle, as the log lines arrive.
  await sleep(200);
  const end = gatewayDied ? undefined : await measure().catch(() => undefined);
  // An attached inspector would make the gateway wait for it at exit.
  probe.close();
  const gatewayLogLines = gateway.logLineCount();
  const gatewayStop = await gateway.stop();
  return {
    options,
    stats,
    elapsedMs,
    tokenExchanges: fake.tokenExchangeCount(),
    tokenRevocations: revocations,
    faultsInjected: { ...faults.injected },
    memory:
      start === undefined || end === undefined
        ? undefined
        : {
            startMb: start.rssMb,
            endMb: end.rssMb,
            peakMb: Math.max(...samplesMb),
            heapStartMb: start.heapMb,
            heapEndMb: end.heapMb,
            samplesMb,
          },
    gatewayDied,
    gatewayStop,
    gatewayLogLines,
    gatewayLogTail: [...gateway.logTail],
    interrupted: stop.aborted,
  };
}
