import { createHash } from "node:crypto";
import { AsyncDeflate, Zip, ZipDeflate, ZipPassThrough, type DeflateOptions } from "fflate";

/**
 * A ZIP written entry by entry whose bytes depend only on its files: every entry gets the same
 * modification time (`at`), the same attributes and the same compression level, in the order
 * written. ZIP stores local time (MS-DOS fields), which fflate reads from the Date's local fields;
 * building the Date from the UTC fields of `at` keeps the bytes the same in every time zone.
 *
 * The output is taken piece by piece (`take`), so a large entry never sits whole in memory. The
 * central directory is written by `end` only: a stream cut short is not a valid ZIP. Large entries
 * can be deflated in a worker thread (the same bytes: the same deflater fed the same blocks).
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

/** General purpose flag bits 1-2 for the level, as fflate writes them for its own deflate entries. */
const levelFlag = (level: ZipLevel) => (level === 1 ? 3 : level < 6 ? 2 : level === 9 ? 1 : 0);

/** fflate's AsyncZipDeflate, with its deflater in reach: how much input waits in the worker bounds what we push. */
class WorkerZipDeflate extends ZipPassThrough {
  readonly deflate: AsyncDeflate;
  flag: number;
  terminate: () => void;

  constructor(filename: string, level: ZipLevel, onDrain: () => void) {
    super(filename);
    this.deflate = new AsyncDeflate({ level }, (error, data, final) => this.ondata(error, data, final));
    this.deflate.ondrain = onDrain;
    this.compression = 8;
    this.flag = levelFlag(level);
    this.terminate = () => this.deflate.terminate();
  }

  process(chunk: Uint8Array, final: boolean): void {
    this.deflate.push(chunk, final);
  }
}

export class DeterministicZip {
  private readonly zip: Zip;
  private readonly mtime: Date;
  private readonly output: Uint8Array[] = [];
  private failure: Error | null = null;
  private complete = false;
  private waiting: (() => void)[] = [];
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
      this.notify();
    });
  }

  /** Starts the next entry; write its content and close it before the next one. `worker`: deflate it in a worker thread. */
  entry(name: string, options: { worker?: boolean } = {}): ZipEntryWriter {
    if (this.open && !this.open.closed) throw new Error(`zip: ${this.open.name} is still open`);
    const file = options.worker ? new WorkerZipDeflate(name, this.level, () => this.notify()) : new ZipDeflate(name, { level: this.level });
    // Unix (os 3) regular files readable by everyone, writable by the owner (0644): what unzip restores.
    Object.assign(file, { mtime: this.mtime, os: 3, attrs: UNIX_FILE_0644 });
    this.zip.add(file);
    this.open = new ZipEntryWriter(name, file, this);
    return this.open;
  }

  /** A whole entry at once. */
  add(name: string, bytes: Uint8Array, options: { worker?: boolean } = {}): ZipEntryDigest {
    const entry = this.entry(name, options);
    entry.write(bytes);
    return entry.close();
  }

  /** Writes the central directory once the entries are deflated: the ZIP is complete when `rest` has run out. */
  end(): void {
    if (this.open && !this.open.closed) throw new Error(`zip: ${this.open.name} is still open`);
    this.zip.end();
  }

  /** The ZIP's bytes written since the last call, in order. */
  take(): Uint8Array[] {
    if (this.failure) throw this.failure;
    return this.output.splice(0);
  }

  /** After `end`: the remaining bytes as they come from the workers, to the central directory. */
  async *rest(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      // More can arrive while the reader holds a chunk: only an empty queue after the last chunk is the end.
      const chunks = this.take();
      if (chunks.length > 0) yield* chunks;
      else if (this.complete) return;
      else await this.event();
    }
  }

  /** Stops the workers (a failure or a reader who went away). */
  terminate(): void {
    this.zip.terminate();
  }

  /** Resolves at the next output, failure or drained input. */
  event(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private notify(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
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
    private readonly file: ZipDeflate | WorkerZipDeflate,
    private readonly zip: DeterministicZip,
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

  /** Waits while more than `limit` bytes of content wait for the worker (a no-op without one). */
  async drained(limit: number): Promise<void> {
    while (this.file instanceof WorkerZipDeflate && this.file.deflate.queuedSize > limit) await this.zip.event();
  }

  close(): ZipEntryDigest {
    if (this.closed) throw new Error(`zip: ${this.name} is closed`);
    this.closed = true;
    this.pushBlock(true);
    return { bytes: this.size, sha256: this.hash.digest("hex") };
  }

  private pushBlock(final: boolean): void {
    // A copy: the worker takes ownership of what it is sent.
    this.file.push(this.block.slice(0, this.filled), final);
    this.filled = 0;
  }
}
