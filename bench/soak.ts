import { buildSoakReport, formatSoakReport } from "./soak-report.js";
import { parseSoakArguments, SOAK_USAGE } from "./soak-options.js";
import { runSoak } from "./soak-run.js";

/**
 * The soak run: sustained mixed OpenAI traffic (plain, streamed, tools, embeddings; GitHub and
 * share tokens) through a gateway process against the fake Copilot, while Copilot tokens expire
 * and are revoked every few seconds and upstream faults are injected at a chosen rate.
 *
 *   node dist/bench/soak.js --duration 20s --concurrency 8 --fault-rate 0.05 --token-ttl 6 [--json]
 *
 * Prints a table and one JSON line (only the JSON with --json). Exit code 0 when the gateway caused
 * no failure, its memory did not grow beyond noise and it stayed up; 1 otherwise; 2 when the run
 * could not start; 130 when interrupted.
 */
async function main(): Promise<number> {
  let options;
  try {
    options = parseSoakArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n${SOAK_USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return 0;
  }
  // The first SIGINT/SIGTERM ends the traffic and still cleans up and reports.
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const result = await runSoak(options, stop.signal);
  const report = buildSoakReport(result);
  if (!options.json) process.stdout.write(`${formatSoakReport(result, report)}\n`);
  process.stdout.write(`${JSON.stringify(report.json)}\n`);
  if (result.interrupted) return 130;
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    // Idle keep-alive sockets of the clients must not hold the process open.
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
