import { beforeAll, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { at, makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { revokeWaiver, waiveFinding } from "./finding-actions";
import { listFindings, type FindingStatus } from "./list-findings";

// A finding keeps the window of its latest waiver (a trigger on waivers), and lists read "waived"
// from it: whoever writes the waivers (people, an import, an undo), the window follows.

const T0 = "2026-01-01T06:00:00.000Z";
const day = (days: number) => new Date(Date.parse(T0) + days * 86_400_000);
const db = setupTestDatabase();
let findingId = 0;

beforeAll(async () => {
  await runCollection(db, { source: scriptedSource({ [SUB_A]: [makeCluster({ name: "c1", networkPolicy: "none" })] }), capturedAt: at(T0), config: DEFAULT_POSTURE_CONFIG });
  findingId = (await db.prisma.finding.findFirstOrThrow({ where: { resolvedAt: null }, orderBy: { id: "asc" } })).id;
});

async function statusAt(now: Date): Promise<FindingStatus> {
  const page = await listFindings(db, { status: "all", sort: "due", dir: "asc", page: 1, pageSize: 200 }, now);
  return page.rows.find((row) => row.id === findingId)!.status;
}

async function windowOf(): Promise<{ waiverId: number | null; waivedFrom: Date | null; waivedUntil: Date | null }> {
  return db.prisma.finding.findUniqueOrThrow({ where: { id: findingId }, select: { waiverId: true, waivedFrom: true, waivedUntil: true } });
}

test("a waiver sets the window, a revoke shortens it, a later waiver moves it, and deleting the waivers clears it", async () => {
  expect(await windowOf()).toEqual({ waiverId: null, waivedFrom: null, waivedUntil: null });
  expect(await statusAt(day(2))).toBe("open");

  // Through 30 Jan: in force until 00:00 UTC on 31 Jan.
  const first = await waiveFinding(db, { id: findingId, reason: "migration in progress", expiresAt: "2026-01-30", actor: "sec@example.com" }, day(2));
  expect(await windowOf()).toEqual({ waiverId: first.id, waivedFrom: day(2), waivedUntil: new Date("2026-01-31T00:00:00.000Z") });
  expect(await statusAt(day(1))).toBe("open");
  expect(await statusAt(day(3))).toBe("waived");
  expect(await statusAt(day(31))).toBe("overdue");

  await revokeWaiver(db, { id: findingId, actor: "sec@example.com" }, day(5));
  expect((await windowOf()).waivedUntil).toEqual(day(5));
  expect(await statusAt(day(4))).toBe("waived");
  expect(await statusAt(day(6))).toBe("open");

  const second = await waiveFinding(db, { id: findingId, reason: "vendor fix due", expiresAt: "2026-02-20", actor: "sec@example.com" }, day(7));
  expect(await windowOf()).toEqual({ waiverId: second.id, waivedFrom: day(7), waivedUntil: new Date("2026-02-21T00:00:00.000Z") });
  expect(await statusAt(day(8))).toBe("waived");
  const listed = await listFindings(db, { status: "waived", sort: "due", dir: "asc", page: 1, pageSize: 200 }, day(8));
  expect(listed.rows.map((row) => [row.id, row.waiver?.id])).toEqual([[findingId, second.id]]);
  expect(listed.counts.waived).toBe(1);

  // As an undo or a direct write would: the trigger follows any change to the waivers table.
  await db.pool.query("DELETE FROM waivers WHERE id = $1", [second.id]);
  expect((await windowOf()).waiverId).toBe(first.id);
  expect(await statusAt(day(8))).toBe("open");
  await db.pool.query("DELETE FROM waivers WHERE finding_id = $1", [findingId]);
  expect(await windowOf()).toEqual({ waiverId: null, waivedFrom: null, waivedUntil: null });
});
