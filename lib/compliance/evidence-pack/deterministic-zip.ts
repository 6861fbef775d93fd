import { createHash } from "node:crypto";
import { Zip, ZipDeflate, type DeflateOptions } from "fflate";

/**
 * A ZIP written entry by entry whose bytes depend only on its files: every entry gets the same
 * modification time (`at`), the same attributes and the same compression level, in the order
 * written. ZIP stores local time (MS-DOS fields), which fflate reads from the Date's local fields;
 * building the Date from the UTC fields of `at` keeps the bytes the same in every time zone.
 *
 * The output is taken piece by piece (`take`), so a large entry never sits whole in memory. The
 * central directory is written by `end` only: a stream cut short is not a valid ZIP. Entries are
 * deflated on the calling thread: a worker thread per large entry (fflate's AsyncDeflate) was faster
 * but each one's memory stayed with the process (docs/compliance.md).
 */
const UNIX_FILE_0644 = 0o100644 * 0x10000;
/**
 * fflate's streaming deflate cuts its blocks where the pushes fall: content is handed to it in blocks
 * of this size, whatever the writes, so the bytes depend on the content alone.
 */
const DEFLATE_INPUT_BLOCK = 64 * 1024;

export type ZipLevel = NonNullable<DeflateOptions["level"]>;

export interface ZipEntryDigest {
  bytes: number;
  sha256: string;
}

export class DeterministicZip {
  private readonly zip: Zip;
  private readonly mtime: Date;
  private readonly output: Uint8Array[] = [];
  private failure: Error | null = null;
  private complete = false;
  private open: ZipEntryWriter | null = null;

  constructor(
    at: Date,
    private readonly level: ZipLevel,
  ) {
    this.mtime = new Date(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds());
    this.zip = new Zip((error, chunk, final) => {
      if (error) this.failure ??= error;
      else {
        this.output.push(chunk);
        if (final) this.complete = true;
      }
    });
  }

  /** Starts the next entry; write its content and close it before the next one. */
  entry(name: string): ZipEntryWriter {
    if (this.open && !this.open.closed) throw new Error(`zip: ${this.open.name} is still open`);
    const file = new ZipDeflate(name, { level: this.level });
    // Unix (os 3) regular files readable by everyone, writable by the owner (0644): what unzip restores.
    Object.assign(file, { mtime: this.mtime, os: 3, attrs: UNIX_FILE_0644 });
    this.zip.add(file);
    this.open = new ZipEntryWriter(name, file);
    return this.open;
  }

  /** A whole entry at once. */
  add(name: string, bytes: Uint8Array): ZipEntryDigest {
    const entry = this.entry(name);
    entry.write(bytes);
    return entry.close();
  }

  /** Writes the central directory: `take` then returns the rest of the ZIP. */
  end(): void {
    if (this.open && !this.open.closed) throw new Error(`zip: ${this.open.name} is still open`);
    this.zip.end();
    if (!this.failure && !this.complete) throw new Error("zip: the central directory was not written");
  }

  /** The ZIP's bytes written since the last call, in order. */
  take(): Uint8Array[] {
    if (this.failure) throw this.failure;
    return this.output.splice(0);
  }
}

export class ZipEntryWriter {
  private readonly hash = createHash("sha256");
  private readonly block = new Uint8Array(DEFLATE_INPUT_BLOCK);
  private filled = 0;
  private size = 0;
  closed = false;

  constructor(
    readonly name: string,
    private readonly file: ZipDeflate,
  ) {}

  /** Appends content; the SHA-256 and size are of the content, as the manifest states them. */
  write(bytes: Uint8Array): void {
    if (this.closed) throw new Error(`zip: ${this.name} is closed`);
    this.hash.update(bytes);
    this.size += bytes.byteLength;
    let offset = 0;
    while (offset < bytes.byteLength) {
      // A full block goes to the deflater only once more content follows: the last push is the final one.
      if (this.filled === DEFLATE_INPUT_BLOCK) this.pushBlock(false);
      const taken = Math.min(DEFLATE_INPUT_BLOCK - this.filled, bytes.byteLength - offset);
      this.block.set(bytes.subarray(offset, offset + taken), this.filled);
      this.filled += taken;
      offset += taken;
    }
  }

  close(): ZipEntryDigest {
    if (this.closed) throw new Error(`zip: ${this.name} is closed`);
    this.closed = true;
    this.pushBlock(true);
    return { bytes: this.size, sha256: this.hash.digest("hex") };
  }

  private pushBlock(final: boolean): void {
    // No copy: fflate's Deflate copies what it is handed into its own window before it returns.
    this.file.push(this.block.subarray(0, this.filled), final);
    this.filled = 0;
  }
}
