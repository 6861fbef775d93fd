/**
 * How long a download may sit unread (its client takes nothing) before it is broken off: the
 * client has stalled, and what the download holds (a slot of work in flight, a database cursor)
 * goes back to those who are reading.
 */
export const UNREAD_LIMIT_MS = 30_000;

/**
 * `response` with a body that calls `release` once it has been sent whole, has failed, the client
 * has gone away, or the client has read nothing for `unreadMs` (then the download is broken off and
 * its source cancelled). A handler that answers with a stream returns before the download is made;
 * without this, making it would no longer count against the server's limit on work in flight.
 */
export function releaseWhenSent(response: Response, release: () => void, unreadMs: number = UNREAD_LIMIT_MS): Response {
  if (!response.body) {
    release();
    return response;
  }
  const reader = response.body.getReader();
  let unread: NodeJS.Timeout | undefined;
  const finish = () => {
    clearTimeout(unread);
    release();
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const waitForClient = () => {
    unread = setTimeout(() => {
      finish();
      const stalled = new Error(`the client read nothing for ${unreadMs / 1000} s; the download was broken off`);
      controller.error(stalled);
      reader.cancel(stalled).catch(() => {});
    }, unreadMs);
    unread.unref();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(given) {
        controller = given;
        waitForClient();
      },
      async pull() {
        // While the next chunk is being made the server is working, not waiting for the client.
        clearTimeout(unread);
        try {
          const next = await reader.read();
          if (next.done) {
            controller.close();
            finish();
            return;
          }
          controller.enqueue(next.value);
          waitForClient();
        } catch (error) {
          finish();
          controller.error(error);
        }
      },
      async cancel(reason) {
        finish();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
