import { AppError } from "@/lib/errors";

/** No API body is larger: a bigger one is refused before it is read to the end. */
export const MAX_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The request body, at most MAX_BODY_BYTES, and valid UTF-8: Latin-1 bytes would otherwise be
 * decoded to U+FFFD and stored as if the user had typed them.
 */
export async function readRequestBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  decodeUtf8(bytes);
  return bytes;
}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError("bad-request", "The request body must be UTF-8 text.");
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("bad-request", `The request body is larger than ${maxBytes / 1024} KB.`);
}
