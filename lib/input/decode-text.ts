// Turning the bytes of an input file (or standard input) into text, refusing what is not text.

import { isUtf8 } from "node:buffer";

/** Why bytes are not text: binary (NUL bytes), or not valid in their encoding. */
export class TextDecodeError extends Error {
  constructor(
    readonly reason: string,
    readonly problem: "binary" | "encoding",
  ) {
    super(reason);
    this.name = "TextDecodeError";
  }
}

/** Where in the bytes a position is, as people count it: line and column from 1. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index += 1) {
    if (bytes[index] === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index] as number;
    if (byte < 0x80) {
      index += 1;
      continue;
    }
    let length: number;
    let min: number;
    if (byte >= 0xc2 && byte <= 0xdf) [length, min] = [2, 0x80];
    else if (byte >= 0xe0 && byte <= 0xef) [length, min] = [3, 0x800];
    else if (byte >= 0xf0 && byte <= 0xf4) [length, min] = [4, 0x10000];
    else return index;
    if (index + length > bytes.length) return index;
    let code = byte & (0xff >> (length + 1));
    for (let next = 1; next < length; next += 1) {
      const continuation = bytes[index + next] as number;
      if ((continuation & 0xc0) !== 0x80) return index;
      code = (code << 6) | (continuation & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return index;
    index += length;
  }
  return -1;
}

function hex(byte: number | undefined): string {
  return `0x${(byte ?? 0).toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Text of a manifest's bytes: UTF-8 (a byte-order mark is dropped), or UTF-16 with its byte-order
 * mark (what Windows PowerShell's `>` writes). NUL bytes mean a binary file; bytes that are not
 * UTF-8 are refused with their position rather than read as replacement characters, which would
 * silently change names and selectors.
 */
export function decodeInputText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new TextDecodeError(`starts with a UTF-16 byte-order mark but is not valid ${encoding.toUpperCase()}`, "encoding");
    }
  }
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const nul = bytes.indexOf(0, start);
  if (nul >= 0) {
    const { line, column } = positionOf(bytes, nul);
    throw new TextDecodeError(`is binary, not YAML or JSON (a NUL byte at line ${line}, column ${column})`, "binary");
  }
  const body = start === 0 ? bytes : bytes.subarray(start);
  if (!isUtf8(body)) {
    const offset = firstInvalidUtf8Byte(body);
    const { line, column } = positionOf(body, Math.max(offset, 0));
    throw new TextDecodeError(`is not valid UTF-8 (byte ${hex(body[offset])} at line ${line}, column ${column}); save it as UTF-8`, "encoding");
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
}
