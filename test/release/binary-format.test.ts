import { closeSync, openSync, readSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readBinaryFormat } from "../../scripts/release/binary-format.js";

/** A 64-byte header with `bytes` written at their offsets. */
function header(writes: (buffer: Buffer) => void): Buffer {
  const buffer = Buffer.alloc(256);
  writes(buffer);
  return buffer;
}

const elf = (machine: number) =>
  header((b) => {
    b.writeUInt32BE(0x7f454c46, 0);
    b[4] = 2; // 64-bit
    b[5] = 1; // little-endian
    b.writeUInt16LE(machine, 18);
  });
const machO = (cpu: number) =>
  header((b) => {
    b.writeUInt32LE(0xfeedfacf, 0);
    b.writeUInt32LE(cpu, 4);
  });
const pe = (machine: number) =>
  header((b) => {
    b.write("MZ", 0, "latin1");
    b.writeUInt32LE(0x80, 0x3c);
    b.writeUInt32BE(0x50450000, 0x80);
    b.writeUInt16LE(machine, 0x84);
  });

describe("readBinaryFormat", () => {
  it("reads ELF e_machine, Mach-O cputype and the PE machine", () => {
    expect(readBinaryFormat(elf(0x3e))).toEqual({ format: "elf", architecture: "x64" });
    expect(readBinaryFormat(elf(0xb7))).toEqual({ format: "elf", architecture: "arm64" });
    expect(readBinaryFormat(elf(0x28))).toEqual({ format: "elf", architecture: "other" });
    expect(readBinaryFormat(machO(0x01000007))).toEqual({ format: "mach-o", architecture: "x64" });
    expect(readBinaryFormat(machO(0x0100000c))).toEqual({
      format: "mach-o",
      architecture: "arm64",
    });
    expect(readBinaryFormat(pe(0x8664))).toEqual({ format: "pe", architecture: "x64" });
    expect(readBinaryFormat(pe(0xaa64))).toEqual({ format: "pe", architecture: "arm64" });
    expect(readBinaryFormat(pe(0x014c))).toEqual({ format: "pe", architecture: "other" });
  });

  it("knows nothing of a script, a big-endian ELF, a universal Mach-O or an MZ without PE", () => {
    expect(readBinaryFormat(Buffer.from("#!/bin/sh\n".padEnd(100, "#")))).toBeUndefined();
    const bigEndian = elf(0x3e);
    bigEndian[5] = 2;
    expect(readBinaryFormat(bigEndian)).toBeUndefined();
    expect(readBinaryFormat(header((b) => b.writeUInt32BE(0xcafebabe, 0)))).toBeUndefined();
    expect(readBinaryFormat(header((b) => b.write("MZ", 0, "latin1")))).toBeUndefined();
    expect(readBinaryFormat(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))).toBeUndefined();
  });

  it("reads this machine's own Node", () => {
    const expected = { x64: "x64", arm64: "arm64" }[process.arch as "x64" | "arm64"];
    const format = { linux: "elf", darwin: "mach-o", win32: "pe" }[
      process.platform as "linux" | "darwin" | "win32"
    ];
    const head = Buffer.alloc(4096);
    const fd = openSync(process.execPath, "r");
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    expect(readBinaryFormat(head)).toEqual({
      format,
      architecture: expected,
    });
  });
});
