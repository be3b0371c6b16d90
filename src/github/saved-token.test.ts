import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  configDirectory,
  listSavedAccounts,
  readSavedAccount,
  saveAccount,
  savedAccountPath,
  savedAccountsDirectory,
  savedTokenPath,
} from "./saved-token.js";

function tempDirectory(): string {
  return mkdtempSync(join(tmpdir(), "cogpt-accounts-"));
}

describe("saved token paths", () => {
  it("puts the default token and the named accounts in the config directory", () => {
    const env = { COGPT_CONFIG_DIR: "/etc/cogpt-test" };
    expect(configDirectory(env)).toBe("/etc/cogpt-test");
    expect(savedTokenPath(env)).toBe("/etc/cogpt-test/github-token");
    expect(savedAccountsDirectory(env)).toBe("/etc/cogpt-test/accounts");
    expect(savedAccountPath("/etc/cogpt-test/accounts", "work")).toBe(
      "/etc/cogpt-test/accounts/work",
    );
  });

  it("follows XDG_CONFIG_HOME without COGPT_CONFIG_DIR", () => {
    if (process.platform === "win32") return;
    expect(savedAccountsDirectory({ XDG_CONFIG_HOME: "/home/u/.cfg" })).toBe(
      "/home/u/.cfg/cogpt/accounts",
    );
  });

  it.each(["../github-token", "a/b", "", ".."])("refuses the account name %j", (name) => {
    expect(() => savedAccountPath("/x", name)).toThrow(
      `account name ${JSON.stringify(name)}: expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')`,
    );
  });
});

describe("named saved accounts", () => {
  it("saves owner-only, reads back, lists sorted", () => {
    const directory = join(tempDirectory(), "accounts");
    expect(listSavedAccounts(directory)).toEqual([]);
    expect(saveAccount(directory, "work", "ghu_work")).toBe(join(directory, "work"));
    saveAccount(directory, "home", "ghu_home");
    expect(readSavedAccount(directory, "work")).toBe("ghu_work");
    expect(readSavedAccount(directory, "home")).toBe("ghu_home");
    expect(readSavedAccount(directory, "other")).toBeUndefined();
    expect(readSavedAccount(directory, "../accounts/work")).toBeUndefined();
    expect(listSavedAccounts(directory)).toEqual(["home", "work"]);
    if (process.platform !== "win32") {
      expect(statSync(join(directory, "work")).mode & 0o777).toBe(0o600);
      expect(statSync(directory).mode & 0o777).toBe(0o700);
    }
  });

  it("replaces a saved account's token and narrows a wider mode", () => {
    const directory = tempDirectory();
    writeFileSync(join(directory, "work"), "ghu_old\n", { mode: 0o644 });
    saveAccount(directory, "work", "ghu_new");
    expect(readSavedAccount(directory, "work")).toBe("ghu_new");
    if (process.platform !== "win32") {
      expect(statSync(join(directory, "work")).mode & 0o777).toBe(0o600);
    }
  });

  it("lists only files with a token under a valid name", () => {
    const directory = tempDirectory();
    writeFileSync(join(directory, "empty"), "\n");
    writeFileSync(join(directory, "has space"), "ghu_x\n");
    mkdirSync(join(directory, "folder"));
    writeFileSync(join(directory, "ok"), "ghu_ok\n");
    expect(listSavedAccounts(directory)).toEqual(["ok"]);
  });
});
