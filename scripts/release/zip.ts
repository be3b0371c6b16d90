import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { sortEntries, type ArchiveEntry } from "./tar.js";

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DEFLATE = 8;
/** "Made by" Unix (3), version 2.0: the external attributes then carry the Unix mode. */
const MADE_BY_UNIX = (3 << 8) | 20;
const UTF8_NAMES = 1 << 11;

/**
 * A zip archive of `entries` (deflated), the same bytes for the same input: entries sorted by
 * path, one DOS modification time, no extra fields, Unix modes in the external attributes.
 * Without zip64: every file and the archive stay under 4 GiB.
 */
export function createZip(entries: readonly ArchiveEntry[], mtimeSeconds: number): Buffer {
  const { time, date } = dosDateTime(mtimeSeconds);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of sortEntries(entries)) {
    const name = Buffer.from(entry.path, "utf8");
    const compressed = deflateRawSync(entry.data, { level: 6 });
    const checksum = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(CENTRAL_HEADER, 0);
    record.writeUInt16LE(MADE_BY_UNIX, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(UTF8_NAMES, 8);
    record.writeUInt16LE(DEFLATE, 10);
    record.writeUInt16LE(time, 12);
    record.writeUInt16LE(date, 14);
    record.writeUInt32LE(checksum, 16);
    record.writeUInt32LE(compressed.length, 20);
    record.writeUInt32LE(entry.data.length, 24);
    record.writeUInt16LE(name.length, 28);
    // extra, comment, disk number, internal attributes: 0
    record.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    parts.push(local, name, compressed);
    central.push(record, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** Seconds since 1970 as MS-DOS date and time fields (UTC, two-second steps, 1980 at least). */
function dosDateTime(seconds: number): { time: number; date: number } {
  const when = new Date(Math.max(seconds, 315532800) * 1000);
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date:
      ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

/** A file read back from a zip archive, with the fields the tests compare. */
export interface ZipFile extends ArchiveEntry {
  readonly dosTime: number;
  readonly dosDate: number;
}

/** The files of a zip archive that `createZip` wrote (stored or deflated), in directory order. */
export function readZip(archive: Buffer): ZipFile[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end === -1) throw new Error("no end of central directory");
  const count = archive.readUInt16LE(end + 10);
  let position = archive.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(position) !== CENTRAL_HEADER) throw new Error("bad central header");
    const method = archive.readUInt16LE(position + 10);
    const compressedSize = archive.readUInt32LE(position + 20);
    const nameLength = archive.readUInt16LE(position + 28);
    const extraLength = archive.readUInt16LE(position + 30);
    const commentLength = archive.readUInt16LE(position + 32);
    const localOffset = archive.readUInt32LE(position + 42);
    const path = archive.toString("utf8", position + 46, position + 46 + nameLength);
    const localNameLength = archive.readUInt16LE(localOffset + 26);
    const localExtraLength = archive.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = archive.subarray(start, start + compressedSize);
    const data = method === DEFLATE ? inflateRawSync(raw) : Buffer.from(raw);
    if (crc32(data) !== archive.readUInt32LE(position + 16)) throw new Error(`bad CRC: ${path}`);
    files.push({
      path,
      data,
      mode: (archive.readUInt32LE(position + 38) >>> 16) & 0o7777,
      dosTime: archive.readUInt16LE(position + 12),
      dosDate: archive.readUInt16LE(position + 14),
    });
    position += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
