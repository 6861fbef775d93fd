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
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            controller.close();
            on.end?.(bytes);
            return;
          }
          bytes += next.value.byteLength;
          controller.enqueue(next.value);
        } catch (error) {
          on.error?.(error, bytes);
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
