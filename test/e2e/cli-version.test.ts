import { describe, expect, it } from "vitest";
import { loadSqliteDriver } from "../../src/store/sqlite-driver.js";
import { VERSION } from "../../src/version.js";
import { MAIN, runCli } from "./cli-run.js";

describe("cogpt --version", () => {
  it.each(["--version", "-v"])(
    "%s prints the version, the Node version and the storage driver, and nothing else",
    async (flag) => {
      const run = await runCli(MAIN, [flag]);
      expect(run).toEqual({
        code: 0,
        // On Node 22 this is node:sqlite, whose ExperimentalWarning must not reach stderr.
        stdout: `cogpt ${VERSION} (node ${process.version}, sqlite: ${loadSqliteDriver().description})\n`,
        stderr: "",
      });
    },
  );
});
