import { createInterface } from "node:readline";
import { Agent } from "undici";
import { runLoad, runPairedLoad } from "./load-run.js";
import type { LoadScenario, PairedLoadScenario } from "./load-types.js";

/**
 * The benchmark's load generator, a process of its own so that its CPU use is not the gateway's
 * or the upstream's: reads one LoadScenario (or PairedLoadScenario) per line on stdin, answers
 * one LoadResult (or PairedLoadResult) per line on stdout, and exits when stdin ends.
 */
async function main(): Promise<void> {
  // One agent per target and concurrency, kept across rounds: alternating DIRECT and THROUGH
  // rounds then reuse warm keep-alive connections instead of opening new ones each round.
  const agents = new Map<string, Agent>();
  const agentFor = (url: string, concurrency: number): Agent => {
    const key = `${new URL(url).origin} ${concurrency}`;
    let agent = agents.get(key);
    if (agent === undefined) {
      agent = new Agent({
        connections: concurrency,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        keepAliveMaxTimeout: 60_000,
      });
      agents.set(key, agent);
    }
    return agent;
  };
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === "") continue;
    const scenario = JSON.parse(line) as LoadScenario | PairedLoadScenario;
    const result =
      "a" in scenario
        ? await runPairedLoad(scenario, {
            a: agentFor(scenario.a.url, scenario.concurrency),
            b: agentFor(scenario.b.url, scenario.concurrency),
          })
        : await runLoad(scenario, agentFor(scenario.url, scenario.concurrency));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  await Promise.all([...agents.values()].map((agent) => agent.close()));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `load-generator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
