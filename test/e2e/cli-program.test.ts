import { describe, expect, it } from "vitest";
import { createProgram, errorMessageOf, exitCodeOf } from "../../src/cli/create-program.js";
import { runShareToken } from "../../src/cli/share-token.js";
import { loadConfig } from "../../src/config/load-config.js";
import { loadSqliteDriver } from "../../src/store/sqlite-driver.js";
import { captureEnvironment } from "./cli-capture.js";
import { BIN, MAIN, makeRunDir, runCli } from "./cli-run.js";

/** Parses argv in-process; returns the exit code main would set and what commander printed. */
async function parse(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const program = await createProgram({
    writeOut: (text) => (out += text),
    writeErr: (text) => (err += text),
  });
  try {
    await program.parseAsync(["node", "cogpt", ...args]);
    return { code: 0, out, err };
  } catch (error) {
    return { code: exitCodeOf(error), out, err: err + errorMessageOf(error) };
  }
}

const COMMANDS = ["serve", "login", "share-token", "usage", "models", "doctor"];

describe("the cogpt program", () => {
  it.each(COMMANDS)("%s --help prints its usage and exits 0", async (command) => {
    const result = await parse([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.out.split("\n")[0]).toBe(`Usage: cogpt ${command} [options]`);
    expect(result.out).toContain("-h, --help");
  });

  it("--help lists every command; --version prints the version", async () => {
    const help = await parse(["--help"]);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.out).toContain(`  ${command} [options]`);
    expect(await parse(["--version"])).toEqual({
      code: 0,
      out: `cogpt 0.1.0 (node ${process.version}, sqlite: ${loadSqliteDriver().description})\n`,
      err: "",
    });
  });

  it("gives exit code 2 to usage errors", async () => {
    const unknown = await parse(["usage", "--no-such-flag"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err.split("\n")[0]).toBe("error: unknown option '--no-such-flag'");
    const count = await parse(["share-token", "--count", "0"]);
    expect(count.code).toBe(2);
    expect(count.err.split("\n")[0]).toBe(
      "error: option '--count <n>' argument '0' is invalid. expected a whole number from 1 to 10000",
    );
  });
});

describe("a command that does not exist", () => {
  it("is named as unknown, with the commands listed and the nearest one suggested", async () => {
    const typo = await parse(["lgoin"]);
    expect(typo.code).toBe(2);
    expect(typo.err.split("\n").slice(0, 4)).toEqual([
      "error: unknown command 'lgoin'",
      "(Did you mean login?)",
      "",
      "Usage: cogpt [options] [command]",
    ]);
    expect(typo.err).toContain("  share-token [options]");
    expect((await parse(["share"])).err.split("\n")[1]).toBe("(Did you mean share-token?)");
    expect((await parse(["modles"])).err.split("\n")[1]).toBe("(Did you mean models?)");
    const far = await parse(["bogus"]);
    expect(far.code).toBe(2);
    expect(far.err.split("\n").slice(0, 2)).toEqual(["error: unknown command 'bogus'", ""]);
  });

  it("is not confused with an argument too many for serve itself", async () => {
    const surplus = await parse(["serve", "bogus"]);
    expect(surplus.code).toBe(2);
    expect(surplus.err.split("\n").slice(0, 3)).toEqual([
      "error: too many arguments for 'serve'. Expected 0 arguments but got 1.",
      "",
      "Usage: cogpt serve [options]",
    ]);
  });
});

describe("cogpt share-token", () => {
  it("prints share- and 43 base62 characters, --count of them, all different", () => {
    const environment = captureEnvironment();
    runShareToken({ count: 5 }, environment);
    const lines = environment.out().split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^share-[0-9A-Za-z]{43}$/);
    expect(new Set(lines).size).toBe(5);
  });

  it("--for prints one SHARE_TOKEN entry the server accepts", () => {
    const environment = captureEnvironment();
    runShareToken({ for: "ghu_abc", count: 2 }, environment);
    const line = environment.out().trimEnd();
    expect(line).toMatch(
      /^SHARE_TOKEN=share-[0-9A-Za-z]{43}:ghu_abc,share-[0-9A-Za-z]{43}:ghu_abc$/,
    );
    const { config, warnings } = loadConfig({
      env: { SHARE_TOKEN: line.slice("SHARE_TOKEN=".length) },
    });
    expect(warnings).toEqual([]);
    expect([...config.shareTokens.values()]).toEqual(["ghu_abc", "ghu_abc"]);
    expect(environment.err()).toBe("");
  });

  it("--for warns about a token type Copilot will not take, and refuses separators", () => {
    const environment = captureEnvironment();
    runShareToken({ for: "gho_oauth" }, environment);
    expect(environment.err()).toBe(
      "cogpt share-token: warning: only GitHub app tokens (ghu_…) can be exchanged for Copilot tokens; get one with `cogpt login`\n",
    );
    expect(() => runShareToken({ for: "ghu_a,ghu_b" }, captureEnvironment())).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message:
          "--for: a GitHub token has no spaces, commas or colons (they separate SHARE_TOKEN entries)",
      }),
    );
  });
});

describe.concurrent("exit codes of the built CLI", () => {
  it("gen-share-token is share-token", async ({ expect }) => {
    const result = await runCli(BIN("gen-share-token"), ["--count", "2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^share-[0-9A-Za-z]{43}\nshare-[0-9A-Za-z]{43}\n$/);
  });

  it("2 for a usage error, with the message on stderr", async ({ expect }) => {
    const { cwd, configDir } = makeRunDir();
    const result = await runCli(MAIN, ["usage"], { cwd, env: { COGPT_CONFIG_DIR: configDir } });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "cogpt: no GitHub token: sign in with `cogpt login --save`, or pass --github-token / set GITHUB_TOKEN\n",
    });
  });

  it("1 for a failure", async ({ expect }) => {
    const { cwd, configDir } = makeRunDir();
    const result = await runCli(
      MAIN,
      ["usage", "--github-token", "ghu_x", "--github-api-url", "http://127.0.0.1:1"],
      { cwd, env: { COGPT_CONFIG_DIR: configDir } },
    );
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "cogpt: Cannot reach GitHub at 127.0.0.1:1: ECONNREFUSED\n",
    });
  });
});
