import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTarGz, readTar, type ArchiveEntry } from "../../scripts/release/tar.js";
import { createZip, readZip } from "../../scripts/release/zip.js";

const MTIME = 1767225600; // 2026-01-01T00:00:00Z
const longDirectory = `cogpt-0.1.0-linux-x64/${"deep/".repeat(25)}`;
const entries: ArchiveEntry[] = [
  { path: "top/b.txt", data: Buffer.from("second\n"), mode: 0o644 },
  { path: "top/a-program", data: Buffer.from("#!/bin/sh\necho hi\n"), mode: 0o755 },
  { path: "top/empty", data: Buffer.alloc(0), mode: 0o644 },
  // 512 bytes exactly: no padding block; 1000 bytes: one
  { path: "top/block", data: Buffer.alloc(512, 7), mode: 0o644 },
  { path: "top/odd", data: Buffer.alloc(1000, 9), mode: 0o600 },
  { path: `${longDirectory}file-with-a-long-name.txt`, data: Buffer.from("deep\n"), mode: 0o644 },
];
const sortedPaths = [
  longDirectory + "file-with-a-long-name.txt",
  "top/a-program",
  "top/b.txt",
  "top/block",
  "top/empty",
  "top/odd",
];

describe("createTarGz", () => {
  const archive = createTarGz(entries, MTIME);

  it("reads back sorted by path with the modes, uid/gid 0 and the one mtime", () => {
    const files = readTar(archive);
    expect(files.map((file) => file.path)).toEqual(sortedPaths);
    const byPath = new Map(files.map((file) => [file.path, file]));
    for (const entry of entries) {
      const file = byPath.get(entry.path)!;
      expect(file.data.equals(entry.data)).toBe(true);
      expect(file.mode).toBe(entry.mode);
      expect([file.uid, file.gid, file.mtime]).toEqual([0, 0, MTIME]);
    }
  });

  it("gives the same bytes whatever the input order, and a gzip header without a timestamp", () => {
    expect(createTarGz([...entries].reverse(), MTIME).equals(archive)).toBe(true);
    // ID1 ID2 CM FLG, then MTIME (4 bytes): all zero after the magic and method.
    expect([...archive.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
  });

  it("is what GNU tar extracts and lists", () => {
    const dir = mkdtempSync(join(tmpdir(), "cogpt-tar-"));
    const file = join(dir, "test.tar.gz");
    writeFileSync(file, archive);
    const list = spawnSync("tar", ["tzvf", file, "--numeric-owner"], { encoding: "utf8" });
    expect(list.stderr).toBe("");
    expect(
      list.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split(/\s+/).slice(0, 2)),
    ).toEqual([
      ["-rw-r--r--", "0/0"],
      ["-rwxr-xr-x", "0/0"],
      ["-rw-r--r--", "0/0"],
      ["-rw-r--r--", "0/0"],
      ["-rw-r--r--", "0/0"],
      ["-rw-------", "0/0"],
    ]);
    const extract = spawnSync("tar", ["xzf", file, "-C", dir], { encoding: "utf8" });
    expect(extract.stderr).toBe("");
    for (const entry of entries) {
      expect(readFileSync(join(dir, entry.path)).equals(entry.data)).toBe(true);
      expect(statSync(join(dir, entry.path)).mode & 0o777).toBe(entry.mode);
      expect(statSync(join(dir, entry.path)).mtimeMs).toBe(MTIME * 1000);
    }
  });

  it("refuses a duplicate path and a path ustar cannot hold", () => {
    expect(() => createTarGz([entries[0]!, entries[0]!], MTIME)).toThrow(
      "duplicate entry top/b.txt",
    );
    expect(() =>
      createTarGz([{ path: `${"x".repeat(101)}`, data: Buffer.alloc(0), mode: 0o644 }], MTIME),
    ).toThrow("path too long for a ustar archive");
  });
});

describe("createZip", () => {
  const archive = createZip(entries, MTIME);

  it("reads back sorted by path with the modes and the one DOS time", () => {
    const files = readZip(archive);
    expect(files.map((file) => file.path)).toEqual(sortedPaths);
    for (const file of files) {
      const entry = entries.find((each) => each.path === file.path)!;
      expect(file.data.equals(entry.data)).toBe(true);
      expect(file.mode).toBe(entry.mode);
      // 2026-01-01 00:00:00: date (46 << 9) | (1 << 5) | 1, time 0
      expect([file.dosDate, file.dosTime]).toEqual([(46 << 9) | (1 << 5) | 1, 0]);
    }
  });

  it("gives the same bytes whatever the input order", () => {
    expect(createZip([...entries].reverse(), MTIME).equals(archive)).toBe(true);
  });

  it("passes `unzip -t` and Python's zipfile reads every file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cogpt-zip-"));
    const file = join(dir, "test.zip");
    writeFileSync(file, archive);
    const check = spawnSync("unzip", ["-t", file], { encoding: "utf8" });
    expect(check.status).toBe(0);
    expect(check.stdout).toContain("No errors detected");
    const python = spawnSync(
      "python3",
      [
        "-c",
        "import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); " +
          "print(json.dumps([[i.filename, i.external_attr >> 16, i.date_time, len(z.read(i))] for i in z.infolist()]))",
        file,
      ],
      { encoding: "utf8" },
    );
    expect(python.stderr).toBe("");
    expect(JSON.parse(python.stdout)).toEqual([
      [sortedPaths[0], 0o100644, [2026, 1, 1, 0, 0, 0], 5],
      ["top/a-program", 0o100755, [2026, 1, 1, 0, 0, 0], 18],
      ["top/b.txt", 0o100644, [2026, 1, 1, 0, 0, 0], 7],
      ["top/block", 0o100644, [2026, 1, 1, 0, 0, 0], 512],
      ["top/empty", 0o100644, [2026, 1, 1, 0, 0, 0], 0],
      ["top/odd", 0o100600, [2026, 1, 1, 0, 0, 0], 1000],
    ]);
  });
});
