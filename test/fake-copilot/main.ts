import { parseFakeCopilotArguments } from "./cli-options.js";
import { FAKE_GITHUB_TOKEN, startFakeCopilot } from "./fake-copilot.js";

/**
 * Runs the fake upstream on its own, for the benchmark:
 *   node dist/test/fake-copilot/main.js --port-github 0 --port-copilot 0 --chunk-delay-ms 0
 * and prints one JSON line {"githubUrl","copilotUrl","githubToken"} once both servers listen.
 */
async function main(): Promise<void> {
  const options = parseFakeCopilotArguments(process.argv.slice(2));
  // Nobody reads `requests` of a standalone fake; recording would only grow the heap.
  const fake = await startFakeCopilot({ ...options, recordRequests: false });
  process.stdout.write(
    `${JSON.stringify({ githubUrl: fake.githubUrl, copilotUrl: fake.copilotUrl, githubToken: FAKE_GITHUB_TOKEN })}\n`,
  );
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-copilot: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
