import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The recordings the fake answers with, read once at start so no request touches the disk. */
export interface FakeFixtures {
  readonly dir: string;
  /** The /models fixture's exact text, served verbatim by default. */
  readonly modelsText: string;
  readonly tokenExchange: Record<string, unknown>;
  readonly copilotUser: Record<string, unknown>;
  readonly modelNotSupportedBody: string;
  readonly unsupportedApiForModelBody: string;
  readonly tokenExpiredBody: string;
  readonly apiVersionUnsupportedBody: string;
}

const MODELS_FIXTURE = "models/models.2026-03-28.json";
// The model named in the recorded 2026 unsupported_api_for_model body; replaced by the requested one.
export const RECORDED_UNSUPPORTED_MODEL = "gpt-5.4-mini";

/**
 * The fixtures folder: COGPT_FIXTURES_DIR, else the recordings kept in the repository at
 * `test/fixtures/copilot`. The root is found by walking up to package.json so the same code works
 * from `test/` (vitest) and from `dist/test/` (the built CLI, the bench and the soak).
 */
export function locateFixturesDir(environment: NodeJS.ProcessEnv = process.env): string {
  const override = environment["COGPT_FIXTURES_DIR"];
  if (override !== undefined && override !== "") return resolve(override);
  return join(findRepoRoot(dirname(fileURLToPath(import.meta.url))), "test", "fixtures", "copilot");
}

function findRepoRoot(start: string): string {
  let directory = start;
  for (;;) {
    if (existsSync(join(directory, "package.json"))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`fake-copilot: no package.json above ${start}`);
    directory = parent;
  }
}

export function readFixtureText(dir: string, relativePath: string): string {
  return readFileSync(join(dir, relativePath), "utf8");
}

export function loadFixtures(dir: string): FakeFixtures {
  const json = (path: string): Record<string, unknown> =>
    JSON.parse(readFixtureText(dir, path)) as Record<string, unknown>;
  return {
    dir,
    modelsText: readFixtureText(dir, MODELS_FIXTURE),
    tokenExchange: json("auth/token-exchange.copilot_for_business_seat_quota.2026-03.json"),
    copilotUser: json("auth/copilot_internal-user.business.2026-06-02.json"),
    modelNotSupportedBody: readFixtureText(dir, "errors/400.model_not_supported.body.txt"),
    unsupportedApiForModelBody: readFixtureText(
      dir,
      "errors/400.unsupported_api_for_model.2026.body.txt",
    ),
    tokenExpiredBody: readFixtureText(dir, "errors/401.token_expired.body.txt"),
    apiVersionUnsupportedBody: readFixtureText(
      dir,
      "errors/466.api_version_no_longer_supported.body.txt",
    ),
  };
}
