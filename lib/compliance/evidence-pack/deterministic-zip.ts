import { zipSync, type Zippable } from "fflate";

/**
 * A ZIP whose bytes depend only on its files: every entry gets the same modification time (`at`)
 * and the same compression level, in the order given. ZIP stores local time (MS-DOS fields), which
 * fflate reads from the Date's local fields; building the Date from the UTC fields of `at` keeps
 * the bytes the same in every time zone.
 */
const UNIX_FILE_0644 = 0o100644 * 0x10000;

export function deterministicZip(files: readonly { name: string; bytes: Uint8Array }[], at: Date): Uint8Array {
  const mtime = new Date(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds());
  const entries: Zippable = {};
  // Unix (os 3) regular files readable by everyone, writable by the owner (0644): what unzip restores.
  for (const file of files) entries[file.name] = [file.bytes, { mtime, level: 6, os: 3, attrs: UNIX_FILE_0644 }];
  return zipSync(entries, { mtime, level: 6 });
}
