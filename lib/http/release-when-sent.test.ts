import { describe, expect, test, vi } from "vitest";
import { releaseWhenSent } from "./release-when-sent";

const encoder = new TextEncoder();

/** A body of `parts` made one per pull, with a record of whether its maker was cancelled. */
function madeBody(parts: string[], options: { failAt?: number } = {}) {
  const made = { pulls: 0, cancelled: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (options.failAt === made.pulls) throw new Error("the source failed");
        const part = parts[made.pulls++];
        if (part === undefined) controller.close();
        else controller.enqueue(encoder.encode(part));
      },
      cancel(reason) {
        made.cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, made };
}

describe("a download keeps its slot until it is sent", () => {
  test("released once, after the last byte is read, not when the handler returns", async () => {
    const release = vi.fn();
    const { stream } = madeBody(["a,b", "\r\n1,2"]);
    const response = releaseWhenSent(new Response(stream, { status: 200, headers: { "content-type": "text/csv" } }), release);
    expect(response.headers.get("content-type")).toBe("text/csv");
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("a,b");
    expect(release).not.toHaveBeenCalled();
    await reader.read();
    expect(release).not.toHaveBeenCalled();
    expect((await reader.read()).done).toBe(true);
    expect(release).toHaveBeenCalledTimes(1);
  });

  test("a client that goes away releases it and cancels the source", async () => {
    const release = vi.fn();
    const { stream, made } = madeBody(["a", "b", "c"]);
    const reader = releaseWhenSent(new Response(stream), release).body!.getReader();
    await reader.read();
    await reader.cancel(new Error("gone"));
    expect(release).toHaveBeenCalledTimes(1);
    expect(made.cancelled).toMatchObject({ message: "gone" });
  });

  test("a source that fails releases it and breaks the download off", async () => {
    const release = vi.fn();
    const { stream } = madeBody(["a", "b"], { failAt: 1 });
    const reader = releaseWhenSent(new Response(stream), release).body!.getReader();
    await reader.read();
    await expect(reader.read()).rejects.toThrow("the source failed");
    expect(release).toHaveBeenCalledTimes(1);
  });

  test("a client that reads nothing for the limit has the download broken off and its source cancelled", async () => {
    const release = vi.fn();
    const { stream, made } = madeBody(["a", "b", "c"]);
    const reader = releaseWhenSent(new Response(stream), release, 40).body!.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(release).toHaveBeenCalledTimes(1);
    expect(made.cancelled).toMatchObject({ message: expect.stringContaining("read nothing") });
    await expect(reader.read()).rejects.toThrow("read nothing");
    expect(release).toHaveBeenCalledTimes(1);
  });

  test("a response without a body releases at once", () => {
    const release = vi.fn();
    releaseWhenSent(new Response(null, { status: 204 }), release);
    expect(release).toHaveBeenCalledTimes(1);
  });
});
