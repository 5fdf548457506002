/** The release's checksums file: SHA-256 of every asset, in `sha256sum -c`'s format. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Every file below `dir`, as `/`-separated relative paths, sorted. */
export function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => fs.statSync(path.join(dir, file)).isFile())
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

/** Writes `name` into `dir` with one line per other file: `<sha256>  <path>`. */
export function writeChecksums(dir: string, name: string): void {
  const lines = filesBelow(dir).filter((file) => file !== name).map((file) => {
    const digest = createHash("sha256").update(fs.readFileSync(path.join(dir, file))).digest("hex");
    return `${digest}  ${file}\n`;
  });
  fs.writeFileSync(path.join(dir, name), lines.join(""));
}
