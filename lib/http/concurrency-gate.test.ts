import { describe, expect, test } from "vitest";
import { ConcurrencyGate } from "./concurrency-gate";

const later = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

describe("the concurrency gate", () => {
  test("runs up to its limit at once, queues up to its queue limit, refuses beyond with `overloaded`", async () => {
    const gate = new ConcurrencyGate(2, 1, 10_000);
    const blockers = [later(), later(), later()];
    const running = blockers.map((blocker) => gate.run(() => blocker.promise));
    await expect(gate.run(async () => "too many")).rejects.toMatchObject({ code: "overloaded" });
    expect(gate.stats()).toMatchObject({ active: 2, waiting: 1, refused: 1 });
    blockers.forEach((blocker) => blocker.release());
    await Promise.all(running);
    expect(gate.stats()).toMatchObject({ active: 0, waiting: 0, admitted: 3, peakActive: 2, peakWaiting: 1 });
  });

  test("a queued request that waits too long is refused; a failing one frees its slot", async () => {
    const gate = new ConcurrencyGate(1, 5, 50);
    const blocker = later();
    const first = gate.run(() => blocker.promise);
    await expect(gate.run(async () => "late")).rejects.toMatchObject({ code: "overloaded" });
    blocker.release();
    await first;
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
    expect(gate.stats()).toMatchObject({ active: 0, waiting: 0 });
  });

  test("a slot acquired is held until released, once however often release is called", async () => {
    const gate = new ConcurrencyGate(1, 1, 10_000);
    const release = await gate.acquire();
    const queued = gate.acquire();
    expect(gate.stats()).toMatchObject({ active: 1, waiting: 1 });
    release();
    release();
    const second = await queued;
    expect(gate.stats()).toMatchObject({ active: 1, waiting: 0 });
    second();
    expect(gate.stats()).toMatchObject({ active: 0, waiting: 0 });
  });
});
