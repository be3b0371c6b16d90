import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fakeCopilotHeaders, fetchFakeCopilotToken } from "../test/fake-copilot/fake-client.js";
import { runCompareScenario, type CompareScenarioReport } from "./bench-compare.js";
import {
  BENCH_USAGE,
  parseBenchArguments,
  planBench,
  planComparison,
  type BenchHop,
  type BenchOptions,
} from "./bench-options.js";
import {
  startFakeProcess,
  startGatewayProcess,
  startLoadGenerator,
  watchRequestStream,
  WATCH_ADMIN_KEY,
  type BenchChild,
  type FakeProcess,
  type GatewayProcess,
} from "./bench-processes.js";
import {
  CPU_TICK_MS,
  readCpuMs,
  readMachineInfo,
  readThreadsCpuMs,
  type MachineInfo,
} from "./bench-proc.js";
import { formatCompareReport, formatReport } from "./bench-report.js";
import { runChunkTiming, runOpenStreams } from "./bench-streams.js";
import { checkTargets, computeCpuPerRequest, findFailures } from "./bench-targets.js";
import {
  runThroughputScenario,
  type BenchTarget,
  type ScenarioReport,
} from "./bench-throughput.js";

/**
 * `npm run bench`: the fake Copilot upstream, the gateway (production build, logging to a file)
 * and a load generator, each a process of its own on loopback; DIRECT (client → fake) against
 * THROUGH (client → gateway → fake) in alternating rounds, so both come from the same run.
 */

// Compiled to dist/bench/run-bench.js: the other entry points are beside it in dist/.
const DIST = join(dirname(fileURLToPath(import.meta.url)), "..");
const FAKE_ENTRY = join(DIST, "test", "fake-copilot", "main.js");
// The TCP pipe is told Copilot's address; the others find it the gateway's way, from GitHub's API.
const HOP_ENTRIES: Record<BenchHop, (copilotUrl: string) => { entry: string; args: string[] }> = {
  gateway: () => ({ entry: join(DIST, "src", "main.js"), args: ["serve"] }),
  "bare-relay": () => ({ entry: join(DIST, "bench", "bare-relay.js"), args: [] }),
  "tcp-pipe": (copilotUrl) => ({ entry: join(DIST, "bench", "tcp-pipe.js"), args: [copilotUrl] }),
};
const HOP_NOTES: Record<BenchHop, string> = {
  gateway: "",
  "bare-relay":
    "THROUGH here is the bare relay (bench/bare-relay.ts), NOT the gateway: what a node:http + undici hop costs.\n",
  "tcp-pipe":
    "THROUGH here is a TCP pipe (bench/tcp-pipe.ts), NOT the gateway: what any hop at all costs.\n",
};
const GENERATOR_ENTRY = join(DIST, "bench", "load-generator.js");

const STREAM_CHUNKS = 20;
const TIMING_CHUNK_DELAY_MS = 10;
// 20 chunks 200 ms apart keep every stream open about 4 s: long enough for all to overlap.
const OPEN_STREAMS = 500;
const OPEN_STREAMS_CHUNK_DELAY_MS = 200;
const CONCURRENCIES = [1, 32] as const;
// --compare: 8 requests in flight per gateway keep both busy on a 2-core host (the load saturates
// the machine), and one concurrency per scenario keeps the paired run short.
const COMPARE_CONCURRENCY = 16;

interface Upstream {
  readonly fake: FakeProcess;
  readonly gateway: GatewayProcess;
  readonly direct: BenchTarget;
  readonly through: BenchTarget;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}\n`,
    );
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  // Exiting runs the children's "exit" hooks (SIGKILL), so an interrupted run leaves no servers.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => process.exit(130));
  const machine = readMachineInfo();
  if (options.compareEntry !== undefined) {
    return compareGateways(options, options.compareEntry, machine);
  }
  const plan = planBench(options.durationMs);
  const started: BenchChild[] = [];
  const startUpstream = async (chunkDelayMs: number): Promise<Upstream> => {
    const fake = await startFakeProcess(FAKE_ENTRY, [
      "--stream-chunks",
      String(STREAM_CHUNKS),
      "--chunk-delay-ms",
      String(chunkDelayMs),
      "--unlimited",
    ]);
    started.push(fake);
    const gateway = await startGatewayProcess(
      options.gatewayEntry === undefined
        ? HOP_ENTRIES[options.hop](fake.copilotUrl)
        : { entry: options.gatewayEntry, args: ["serve"] },
      fake.githubUrl,
      options.watchRequests ? { ADMIN_KEY: WATCH_ADMIN_KEY } : {},
    );
    started.push(gateway);
    if (options.watchRequests) {
      const watcher = await watchRequestStream(gateway.url, WATCH_ADMIN_KEY);
      started.push(watcher);
    }
    const copilotToken = await fetchFakeCopilotToken(fake, fake.githubToken);
    return {
      fake,
      gateway,
      direct: {
        url: `${fake.copilotUrl}/chat/completions`,
        headers: fakeCopilotHeaders(copilotToken),
      },
      // The pipe reads no HTTP: through it, the client sends what it sends Copilot directly.
      through:
        options.hop === "tcp-pipe"
          ? { url: `${gateway.url}/chat/completions`, headers: fakeCopilotHeaders(copilotToken) }
          : {
              url: `${gateway.url}/v1/chat/completions`,
              headers: { authorization: `Bearer ${fake.githubToken}` },
            },
    };
  };
  const stopUpstream = async (upstream: Upstream): Promise<void> => {
    await upstream.gateway.stop();
    await upstream.fake.stop();
  };
  const generator = startLoadGenerator(GENERATOR_ENTRY);
  started.push(generator);
  try {
    const fast = await startUpstream(0);
    const scenarios: ScenarioReport[] = [];
    for (const stream of [false, true]) {
      for (const concurrency of CONCURRENCIES) {
        reportProgress(`${stream ? "streamed" : "plain"} completions, concurrency ${concurrency}`);
        scenarios.push(
          await runThroughputScenario(
            {
              generator,
              direct: fast.direct,
              through: fast.through,
              directServerPid: fast.fake.pid,
              throughServerPid: fast.gateway.pid,
              children: [generator, fast.fake, fast.gateway],
              benchPids: [process.pid, generator.pid, fast.fake.pid, fast.gateway.pid],
              ...plan,
            },
            stream,
            concurrency,
          ),
        );
      }
    }
    await stopUpstream(fast);

    reportProgress(`chunk timing, upstream chunks ${TIMING_CHUNK_DELAY_MS} ms apart`);
    const timed = await startUpstream(TIMING_CHUNK_DELAY_MS);
    const chunkTiming = await runChunkTiming({
      generator,
      direct: timed.direct,
      through: timed.through,
      children: [generator, timed.fake, timed.gateway],
      chunkDelayMs: TIMING_CHUNK_DELAY_MS,
      streamsPerSide: plan.timingStreams,
    });
    await stopUpstream(timed);

    reportProgress(
      `${OPEN_STREAMS} open streams, upstream chunks ${OPEN_STREAMS_CHUNK_DELAY_MS} ms apart`,
    );
    const slow = await startUpstream(OPEN_STREAMS_CHUNK_DELAY_MS);
    const memory = await runOpenStreams({
      generator,
      through: slow.through,
      gatewayPid: slow.gateway.pid,
      children: [generator, slow.fake, slow.gateway],
      chunkDelayMs: OPEN_STREAMS_CHUNK_DELAY_MS,
      streams: OPEN_STREAMS,
    });
    await stopUpstream(slow);

    const measured = { scenarios, chunkTiming, memory };
    const targets = checkTargets(measured);
    const failures = findFailures(measured);
    if (!options.json) {
      const report = formatReport(machine, plan, measured, targets, failures);
      const note =
        options.gatewayEntry === undefined
          ? HOP_NOTES[options.hop]
          : `THROUGH here is the gateway built at ${options.gatewayEntry}.\n`;
      process.stdout.write(`${note}${report}\n\n`);
    }
    const summary = {
      benchmark: "cogpt",
      hop: options.hop,
      ...(options.gatewayEntry === undefined ? {} : { gateway: options.gatewayEntry }),
      machine,
      durationMs: options.durationMs,
      plan,
      ...measured,
      gatewayCpuMsPerRequest: {
        plain: computeCpuPerRequest(scenarios, false),
        stream: computeCpuPerRequest(scenarios, true),
      },
      targets,
      targetsPassed: targets.every((target) => target.pass),
      failures,
      ok: failures.length === 0,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    // A missed target is a measurement; only something broken fails the run.
    return failures.length === 0 ? 0 : 1;
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

const COMPARE_KIND_NAMES = {
  plain: "plain completions",
  stream: "streamed completions",
  agent: "coding agent turns (~55 KB, streamed)",
} as const;

/**
 * `--compare`: this build's gateway (A) and another build's (B) at the same time against one
 * fake upstream, the load alternating between them, both gateways' CPU read over the same rounds.
 */
async function compareGateways(
  options: BenchOptions,
  compareEntry: string,
  machine: MachineInfo,
): Promise<number> {
  const plan = planComparison(options.durationMs);
  const started: BenchChild[] = [];
  try {
    const fake = await startFakeProcess(FAKE_ENTRY, [
      "--stream-chunks",
      String(STREAM_CHUNKS),
      "--chunk-delay-ms",
      "0",
      "--unlimited",
    ]);
    started.push(fake);
    // With the table open on B, A gets the admin key as well: only the open page differs.
    const env = options.watchRequests ? { ADMIN_KEY: WATCH_ADMIN_KEY } : {};
    const aEntry = options.gatewayEntry ?? join(DIST, "src", "main.js");
    const a = await startGatewayProcess({ entry: aEntry, args: ["serve"] }, fake.githubUrl, env);
    started.push(a);
    const b = await startGatewayProcess(
      { entry: compareEntry, args: ["serve"] },
      fake.githubUrl,
      env,
    );
    started.push(b);
    if (options.watchRequests) started.push(await watchRequestStream(b.url, WATCH_ADMIN_KEY));
    const generator = startLoadGenerator(GENERATOR_ENTRY);
    started.push(generator);
    const target = (gateway: GatewayProcess): { url: string; headers: Record<string, string> } => ({
      url: `${gateway.url}/v1/chat/completions`,
      headers: { authorization: `Bearer ${fake.githubToken}` },
    });
    // Nanoseconds per thread where the kernel keeps them; clock ticks (10 ms) otherwise.
    const fine = readThreadsCpuMs(a.pid) !== undefined && readThreadsCpuMs(b.pid) !== undefined;
    const cpuSource = fine
      ? "/proc/<pid>/task/*/schedstat (ns)"
      : `/proc/<pid>/stat in ${CPU_TICK_MS} ms ticks`;
    const readSideCpuMs = (pid: number): number => {
      if (!fine) return readCpuMs(pid);
      const cpuMs = readThreadsCpuMs(pid);
      if (cpuMs === undefined) throw new Error(`process ${pid} has no threads left to read`);
      return cpuMs;
    };
    const scenarios: CompareScenarioReport[] = [];
    for (const kind of ["plain", "stream", "agent"] as const) {
      reportProgress(`A/B ${COMPARE_KIND_NAMES[kind]}, concurrency ${COMPARE_CONCURRENCY}`);
      scenarios.push(
        await runCompareScenario(
          {
            generator,
            a: { target: target(a), pid: a.pid },
            b: { target: target(b), pid: b.pid },
            children: [generator, fake, a, b],
            plan,
            concurrency: COMPARE_CONCURRENCY,
            readCpuMs: readSideCpuMs,
          },
          kind,
        ),
      );
    }
    if (!options.json) {
      const report = formatCompareReport(
        machine,
        {
          plan,
          concurrency: COMPARE_CONCURRENCY,
          aEntry,
          bEntry: compareEntry,
          watchRequestsOnB: options.watchRequests,
          cpuSource,
        },
        scenarios,
      );
      process.stdout.write(`${report}\n\n`);
    }
    const summary = {
      benchmark: "cogpt-compare",
      a: aEntry,
      b: compareEntry,
      watchRequestsOnB: options.watchRequests,
      machine,
      durationMs: options.durationMs,
      plan,
      concurrency: COMPARE_CONCURRENCY,
      cpuSource,
      scenarios,
      ratioMedian: Object.fromEntries(
        scenarios.map((scenario) => [scenario.name.split(" ")[0], scenario.ratioMedian]),
      ),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

function reportProgress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
