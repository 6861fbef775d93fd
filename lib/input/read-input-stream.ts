// Reading standard input (`bulkhead analyze -`) with the same bound as a file.

import { MAX_INPUT_FILE_BYTES } from "./input-limits";
import { InputFileError } from "./read-input-file";

/**
 * Reads a stream to its end, at most `maxBytes`: past that it stops reading and refuses, so a
 * pipe that never ends (`yes | bulkhead analyze -`) costs at most the bound, never the machine.
 * `name` is what messages call the input ("-" for standard input).
 */
export async function readInputStream(stream: AsyncIterable<Uint8Array | string>, name: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buffer.length;
    if (total > maxBytes) {
      throw new InputFileError(name, `is more than ${maxBytes / 1024 / 1024} MB; larger input is not read`, "too-large");
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
