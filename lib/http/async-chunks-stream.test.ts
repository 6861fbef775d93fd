import { describe, expect, test, vi } from "vitest";
import { streamOf } from "./async-chunks-stream";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("a body read from an async generator", () => {
  test("sends every chunk, then ends and reports the byte count", async () => {
    const end = vi.fn();
    async function* chunks() {
      yield bytes("ab");
      yield bytes("cde");
    }
    expect(await new Response(streamOf(chunks(), { end })).text()).toBe("abcde");
    expect(end).toHaveBeenCalledWith(5);
  });

  test("a failing generator breaks the stream and is reported", async () => {
    const error = vi.fn();
    async function* chunks() {
      yield bytes("ab");
      throw new Error("lost the database");
    }
    await expect(new Response(streamOf(chunks(), { error })).text()).rejects.toThrow("lost the database");
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ message: "lost the database" }), 2);
  });

  test("a client that goes away while a chunk is being made stops the generator, and that is no failure", async () => {
    const error = vi.fn();
    const end = vi.fn();
    const stopped = vi.fn();
    let finishChunk!: () => void;
    async function* chunks() {
      try {
        yield bytes("first");
        await new Promise<void>((resolve) => (finishChunk = resolve));
        yield bytes("second");
        yield bytes("third");
      } finally {
        stopped();
      }
    }
    const reader = streamOf(chunks(), { error, end }).getReader();
    expect((await reader.read()).value).toEqual(bytes("first"));
    // The stream pulls ahead: the second chunk is being made when the client leaves.
    await vi.waitFor(() => expect(finishChunk).toBeTypeOf("function"));
    const cancelled = reader.cancel();
    finishChunk();
    await cancelled;
    expect(stopped).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();
  });
});
