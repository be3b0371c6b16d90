import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  LAUNCHERS,
  renderCmdLauncher,
  renderShellLauncher,
} from "../../scripts/release/launchers.js";

describe("shell launchers", () => {
  // An unpacked archive whose "runtime" prints the arguments it was given, one per line.
  const root = mkdtempSync(join(tmpdir(), "cogpt launchers "));
  const install = join(root, "opt", "cogpt");
  mkdirSync(join(install, "runtime"), { recursive: true });
  writeFileSync(join(install, "runtime", "node"), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
  chmodSync(join(install, "runtime", "node"), 0o755);
  for (const { name, command } of LAUNCHERS) {
    writeFileSync(join(install, name), renderShellLauncher(name, command));
    chmodSync(join(install, name), 0o755);
  }
  const bundle = join(install, "lib", "cogpt.mjs");
  const flag = "--disable-warning=ExperimentalWarning";

  it("run the runtime beside them on the bundle, with the subcommand and every argument", () => {
    const run = (name: string, ...args: string[]) =>
      spawnSync(join(install, name), args, { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
    expect(run("cogpt-api", "--port", "9000").stdout.split("\n")).toEqual([
      flag,
      bundle,
      "serve",
      "--port",
      "9000",
      "",
    ]);
    expect(run("cogpt", "a b", "").stdout.split("\n")).toEqual([flag, bundle, "a b", "", ""]);
    expect(run("cogpt-get-apptoken", "--help").stdout).toBe(`${flag}\n${bundle}\nlogin\n--help\n`);
    expect(run("gen-share-token").stdout).toBe(`${flag}\n${bundle}\nshare-token\n`);
  });

  it("find the archive through a chain of symbolic links, relative and absolute", () => {
    const bin = join(root, "usr", "local", "bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync("../../../opt/cogpt/cogpt-api", join(bin, "cogpt-api"));
    symlinkSync(join(bin, "cogpt-api"), join(root, "gateway"));
    for (const path of [join(bin, "cogpt-api"), join(root, "gateway")]) {
      const result = spawnSync(path, [], { encoding: "utf8", cwd: tmpdir() });
      expect(result.stdout).toBe(`${flag}\n${bundle}\nserve\n`);
    }
  });
});

describe("Windows launchers", () => {
  it("are CRLF batch files calling node.exe beside them, passing every argument", () => {
    expect(renderCmdLauncher("cogpt-api", "serve")).toBe(
      "@echo off\r\n" +
        "rem cogpt-api: cogpt serve, run by the Node runtime shipped beside it.\r\n" +
        `"%~dp0runtime\\node.exe" ${"--disable-warning=ExperimentalWarning"} "%~dp0lib\\cogpt.mjs" serve %*\r\n`,
    );
    expect(renderCmdLauncher("cogpt", undefined)).toContain(
      '"%~dp0runtime\\node.exe" --disable-warning=ExperimentalWarning "%~dp0lib\\cogpt.mjs" %*\r\n',
    );
  });
});
