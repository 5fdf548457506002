/**
 * A gzipped tar (ustar) writer for release archives: deterministic (fixed owner and time, files in
 * the order given), with the mode of each file kept, so a launcher stays executable wherever the
 * archive is unpacked. `tar` itself is avoided because GNU and BSD tar take different flags for
 * all of that.
 */
import * as fs from "node:fs";
import { gzipSync } from "node:zlib";

/** One file of an archive. */
export interface TarEntry {
  /** Its path inside the archive (below 100 characters, `/`-separated). */
  readonly name: string;
  readonly data: Buffer;
  /** Unix permissions, e.g. 0o755 for a launcher. */
  readonly mode: number;
}

/** The time every entry carries: archives of the same files are byte-identical. */
const MTIME = Date.UTC(2020, 0, 1) / 1000;

/** Writes `value` as a NUL-terminated octal field of `width` bytes at `offset`. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(value.toString(8).padStart(width - 1, "0") + "\0", offset, width, "ascii");
}

function header(entry: TarEntry): Buffer {
  if (Buffer.byteLength(entry.name) >= 100) throw new Error(`tar: name too long: ${entry.name}`);
  const block = Buffer.alloc(512);
  block.write(entry.name, 0, 100, "utf8");
  octal(block, 100, 8, entry.mode);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, entry.data.length);
  octal(block, 136, 12, MTIME);
  block.write("0", 156, 1, "ascii"); // a regular file
  block.write("ustar\u000000", 257, 8, "ascii");
  block.write("root", 265, 32, "ascii");
  block.write("root", 297, 32, "ascii");
  // The checksum is computed with its own field read as spaces.
  block.fill(" ", 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return block;
}

/** Writes `entries` as a gzipped tar file at `file`. */
export function writeTarGz(file: string, entries: readonly TarEntry[]): void {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry), entry.data, Buffer.alloc((512 - (entry.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024)); // two empty blocks end the archive
  fs.writeFileSync(file, gzipSync(Buffer.concat(parts), { level: 9 }));
}
