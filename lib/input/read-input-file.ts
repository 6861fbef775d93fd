import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { MAX_INPUT_FILE_BYTES } from "./input-limits";

export type InputFileProblem = "missing" | "not-a-file" | "too-large" | "unreadable";

export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly problem: InputFileProblem,
  ) {
    super(`${file}: ${reason}`);
    this.name = "InputFileError";
  }
}

function describeKind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Reads a regular file of at most `maxBytes`. Anything else is refused before a byte is read: a
 * FIFO would block the read until someone writes to it (forever, in CI), a device never ends. The
 * file is opened non-blocking and checked on the open descriptor, so it cannot be swapped between
 * the check and the read.
 */
export async function readInputFile(file: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputFileError(file, "file not found", "missing");
    if (code === "EISDIR") throw new InputFileError(file, "is a directory, not a file", "not-a-file");
    throw new InputFileError(file, `cannot be read (${code ?? String(error)})`, "unreadable");
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InputFileError(file, `is ${describeKind(stats)}, not a regular file`, "not-a-file");
    if (stats.size > maxBytes) {
      throw new InputFileError(file, `is ${(stats.size / 1024 / 1024).toFixed(1)} MB; files larger than ${maxBytes / 1024 / 1024} MB are not read`, "too-large");
    }
    return await handle.readFile();
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, "unreadable");
  } finally {
    await handle.close();
  }
}
