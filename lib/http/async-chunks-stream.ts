/**
 * A response body read from an async generator, one chunk per pull: the generator runs only as fast
 * as the client reads, so a slow download holds no more than a chunk or two. A failure of the
 * generator errors the stream: the server then aborts the response (no terminating chunk), and the
 * client sees a broken download, never a short one that looks complete. A client that goes away
 * stops the generator (`return`).
 */
export function streamOf(
  chunks: AsyncGenerator<Uint8Array, void, undefined>,
  on: { end?: (bytes: number) => void; error?: (error: unknown, bytes: number) => void } = {},
): ReadableStream<Uint8Array> {
  let bytes = 0;
  // A client may go away while a chunk is being made; the stream is closed by then, and what that
  // chunk brings (or how it fails) is nobody's business.
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (cancelled) return;
          if (next.done) {
            controller.close();
            on.end?.(bytes);
            return;
          }
          bytes += next.value.byteLength;
          controller.enqueue(next.value);
        } catch (error) {
          if (cancelled) return;
          on.error?.(error, bytes);
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
