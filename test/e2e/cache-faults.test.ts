import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startHarness } from "./harness.js";

/*
 * A cache path that cannot be used never stops the gateway: it starts with the memory cache,
 * warns at start-up with the path, the reason and the fix, and says so in /healthz.
 * Tests run as root here, where chmod stops no write: as root the read-only file and the
 * unwritable directory are read-only sysfs entries (Linux), which refuse root too.
 */
const isRoot = process.getuid?.() === 0;
const SYSFS_READ_ONLY_FILE = "/sys/kernel/address_bits";
const SYSFS_READ_ONLY_DIRECTORY = "/sys/kernel";

interface CacheFault {
  readonly name: string;
  /** Makes the fault; returns the CACHE_PATH to use, or undefined if it cannot be made here. */
  readonly make: (directory: string) => string | undefined;
}

const FAULTS: readonly CacheFault[] = [
  {
    name: "the path is a directory",
    make: (directory) => {
      const path = join(directory, "cache.sqlite3");
      mkdirSync(path);
      return path;
    },
  },
  {
    name: "the file is read-only",
    make: (directory) => {
      if (isRoot) return existsSync(SYSFS_READ_ONLY_FILE) ? SYSFS_READ_ONLY_FILE : undefined;
      const path = join(directory, "cache.sqlite3");
      writeFileSync(path, "");
      chmodSync(path, 0o400);
      return path;
    },
  },
  {
    name: "the directory cannot be written",
    make: (directory) => {
      if (isRoot) {
        return existsSync(SYSFS_READ_ONLY_DIRECTORY)
          ? join(SYSFS_READ_ONLY_DIRECTORY, "cogpt-cache.sqlite3")
          : undefined;
      }
      const readOnly = join(directory, "read-only");
      mkdirSync(readOnly, { mode: 0o500 });
      return join(readOnly, "cache.sqlite3");
    },
  },
  {
    name: "the directory is a regular file",
    make: (directory) => {
      writeFileSync(join(directory, "db"), "");
      return join(directory, "db", "cache.sqlite3");
    },
  },
];

describe.each(FAULTS)("a cache path that cannot be used: $name", ({ make }) => {
  const path = make(mkdtempSync(join(tmpdir(), "cogpt-cache-fault-")));

  it.skipIf(path === undefined)(
    "starts with the memory cache, warns with the path, reason and fix, and tells /healthz",
    async () => {
      const h = await startHarness({ env: { CACHE_PATH: path ?? "" } });
      try {
        const health = (await (await fetch(`${h.gateway.url}/healthz`)).json()) as Record<
          string,
          unknown
        >;
        expect(health.cache).toBe("memory");
        const reason = health.cache_error;
        expect(typeof reason).toBe("string");
        const warnings = h.logs.filter((line) => line.includes("token cache:"));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain(
          `token cache: cannot use SQLite at ${path} (${String(reason)}); running with the ` +
            "memory cache, so every restart exchanges each GitHub token again. Fix: set " +
            "CACHE_PATH to a writable file in a writable directory, or CACHE=false",
        );
        expect(warnings[0]).toMatch(/WARN/i);
        const completion = await h.openai().chat.completions.create({
          model: "gpt-4o",
          messages: [{ role: "user", content: "hi" }],
        });
        expect(completion.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: hi");
      } finally {
        await h.close();
      }
    },
  );
});

describe("a usable cache path", () => {
  it("reports sqlite in /healthz with no cache_error", async () => {
    const h = await startHarness();
    try {
      const health = (await (await fetch(`${h.gateway.url}/healthz`)).json()) as Record<
        string,
        unknown
      >;
      expect([health.cache, "cache_error" in health]).toEqual(["sqlite", false]);
    } finally {
      await h.close();
    }
  });
});
