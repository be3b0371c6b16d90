import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load-config.js";
import { parseModelList } from "../copilot/models.js";
import { checkCache, checkProxy, judgeClockSkew } from "./doctor-checks.js";
import { pickProbeModel } from "./doctor-copilot-checks.js";
import { formatCheck } from "./doctor.js";

const GITHUB = Date.parse("2026-06-02T13:41:20Z");

describe("judgeClockSkew", () => {
  it.each([
    [GITHUB + 500, "ok", "agrees with GitHub's", undefined],
    [GITHUB - 1400, "ok", "agrees with GitHub's", undefined],
    [GITHUB + 20_500, "ok", "20 s ahead of GitHub's", undefined],
    [
      GITHUB - 90_500,
      "warn",
      "91 s behind GitHub's",
      "turn on network time synchronisation (NTP) on this machine",
    ],
    [
      GITHUB + 600_500,
      "fail",
      "600 s ahead of GitHub's",
      "turn on network time synchronisation (NTP) on this machine",
    ],
  ])("local %d", (local, verdict, detail, fix) => {
    const result = judgeClockSkew({ github: GITHUB, local });
    expect(result).toEqual({
      name: "clock",
      verdict,
      detail,
      ...(fix === undefined ? {} : { fix }),
    });
  });

  it("skips without GitHub's date", () => {
    expect(judgeClockSkew(undefined)).toEqual({
      name: "clock",
      verdict: "skip",
      detail: "no date from GitHub to compare with",
    });
  });
});

describe("formatCheck", () => {
  it("writes one line with the verdict first and the fix last", () => {
    expect(formatCheck({ name: "cache", verdict: "ok", detail: "db/x is writable" })).toBe(
      "[ok]   cache: db/x is writable",
    );
    expect(
      formatCheck({ name: "clock", verdict: "fail", detail: "600 s ahead", fix: "sync it" }),
    ).toBe("[FAIL] clock: 600 s ahead Fix: sync it.");
  });
});

describe("checkCache", () => {
  it("accepts a writable path and names an unwritable one", () => {
    const dir = mkdtempSync(join(tmpdir(), "cogpt-doctor-"));
    const ok = loadConfig({ env: { CACHE_PATH: join(dir, "db", "cache.sqlite3") } }).config;
    expect(checkCache(ok)).toEqual({
      name: "cache",
      verdict: "ok",
      detail: `${join(dir, "db", "cache.sqlite3")} is writable`,
    });
    writeFileSync(join(dir, "file"), "");
    const bad = loadConfig({ env: { CACHE_PATH: join(dir, "file", "cache.sqlite3") } }).config;
    expect(checkCache(bad)).toEqual({
      name: "cache",
      verdict: "fail",
      detail: `CACHE_PATH: cannot write to "${join(dir, "file")}": is a file, not a directory; the gateway runs with the memory cache until this is fixed`,
      fix: "set CACHE_PATH to a file in a writable directory, or CACHE=false",
    });
    writeFileSync(join(dir, "garbage.sqlite3"), "not a database ".repeat(100));
    const garbage = loadConfig({ env: { CACHE_PATH: join(dir, "garbage.sqlite3") } }).config;
    expect(checkCache(garbage).detail).toBe(
      "file is not a database; the gateway runs with the memory cache until this is fixed",
    );
    const memory = loadConfig({ env: { CACHE: "false" } }).config;
    expect(checkCache(memory).verdict).toBe("skip");
  });
});

describe("checkProxy", () => {
  it("skips without a proxy and fails on a port nobody listens on", async () => {
    expect(await checkProxy(loadConfig({ env: {} }).config)).toEqual({
      name: "proxy",
      verdict: "skip",
      detail: "none set (direct connections)",
    });
    const config = loadConfig({ env: { HTTPS_PROXY: "http://user:secret@127.0.0.1:1" } }).config;
    expect(await checkProxy(config)).toEqual({
      name: "proxy",
      verdict: "fail",
      detail: "cannot connect to http://127.0.0.1:1: ECONNREFUSED",
      fix: "check PROXY (or ALL_PROXY, HTTPS_PROXY, HTTP_PROXY): host, port, and that the proxy runs",
    });
  });
});

describe("pickProbeModel", () => {
  it("picks an enabled free chat model that serves /chat/completions, picker models first", () => {
    const models = parseModelList({
      data: [
        { id: "premium", billing: { is_premium: true, multiplier: 1 } },
        { id: "embeddings", capabilities: { type: "embeddings" }, billing: { multiplier: 0 } },
        { id: "responses-only", billing: { multiplier: 0 }, supported_endpoints: ["/responses"] },
        { id: "disabled", billing: { multiplier: 0 }, policy: { state: "disabled" } },
        { id: "free-hidden", billing: { is_premium: false, multiplier: 0 } },
        { id: "free-picker", billing: { multiplier: 0 }, model_picker_enabled: true },
      ],
    });
    expect(pickProbeModel(models)).toBe("free-picker");
    expect(pickProbeModel(models.slice(0, 5))).toBe("free-hidden");
    expect(pickProbeModel(models.slice(0, 4))).toBeUndefined();
  });
});
