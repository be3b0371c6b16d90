import { gunzipSync, gzipSync } from "node:zlib";

/** One file of an archive: a path with "/" separators, its bytes and its Unix mode. */
export interface ArchiveEntry {
  readonly path: string;
  readonly data: Buffer;
  /** 0o755 for programs, 0o644 for the rest. */
  readonly mode: number;
}

const BLOCK = 512;

/**
 * A gzipped ustar archive of `entries` (files only; directories are implied by the paths), the
 * same bytes for the same input: entries sorted by path, one modification time, uid/gid 0 with
 * no owner names, and a gzip header without a name or a timestamp.
 */
export function createTarGz(entries: readonly ArchiveEntry[], mtimeSeconds: number): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of sortEntries(entries)) {
    blocks.push(tarHeader(entry, mtimeSeconds), entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  // zlib writes mtime 0 and no file name: the bytes depend on the content (and zlib) alone.
  // Level 9 would take three times as long for 0.5% less.
  return gzipSync(Buffer.concat(blocks), { level: 6 });
}

/** Entries sorted by path (byte order), refusing duplicates. */
export function sortEntries(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const sorted = [...entries].sort((a, b) =>
    Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)),
  );
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.path === sorted[i - 1]!.path)
      throw new Error(`duplicate entry ${sorted[i]!.path}`);
  }
  return sorted;
}

function tarHeader(entry: ArchiveEntry, mtimeSeconds: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(entry.path);
  header.write(name, 0, 100, "utf8");
  writeOctal(header, 100, 8, entry.mode);
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, entry.data.length);
  writeOctal(header, 136, 12, mtimeSeconds);
  header.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  header.write("0", 156, 1, "ascii"); // a regular file
  header.write("ustar\u000000", 257, 8, "binary");
  header.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "binary");
  return header;
}

/** ustar keeps up to 100 bytes of name and 155 of directory prefix, split at a "/". */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: "" };
  for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new Error(`path too long for a ustar archive: ${path}`);
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`${value} does not fit a tar header field`);
  header.write(`${digits.padStart(length - 1, "0")}\u0000`, offset, length, "ascii");
}

/** A file read back from a tar archive, with the header fields the tests compare. */
export interface TarFile extends ArchiveEntry {
  readonly mtime: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The regular files of a (gzipped) tar archive, in archive order: enough to read the Node
 * packages of the npm registry and the archives `createTarGz` writes. Long names in pax or GNU
 * headers are applied; links and directories are skipped.
 */
export function readTar(archive: Buffer): TarFile[] {
  const tar = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const files: TarFile[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString("utf8"))?.[1] ?? longName;
      continue;
    }
    if (type === "L") {
      longName = readString(data, 0, data.length);
      continue;
    }
    const prefix = readString(header, 345, 155);
    const name = readString(header, 0, 100);
    const path = longName ?? (prefix === "" ? name : `${prefix}/${name}`);
    longName = undefined;
    if (type !== "0" && type !== "\u0000") continue;
    files.push({
      path,
      data: Buffer.from(data),
      mode: readOctal(header, 100, 8),
      uid: readOctal(header, 108, 8),
      gid: readOctal(header, 116, 8),
      mtime: readOctal(header, 136, 12),
    });
  }
  return files;
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}
