import { expect, test } from "vitest";
import { setupTestDatabase } from "@/testing/setup-test-database";

const db = setupTestDatabase();

test("a test database is migrated and reachable through Prisma", async () => {
  expect(await db.prisma.collectionRun.count()).toBe(0);
  const tables = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('snapshots','posture_intervals','findings','finding_events','waivers')",
  );
  expect(tables.rows[0].n).toBe(5);
});

test("the finding audit trail refuses updates and deletes", async () => {
  await db.prisma.subscription.create({ data: { id: "s1", firstSeenAt: new Date() } });
  const cluster = await db.prisma.cluster.create({
    data: { key: "k", armId: "K", name: "c", subscriptionId: "s1", resourceGroup: "rg", firstSeenAt: new Date(), owner: "o", production: false, engine: "none" },
  });
  const finding = await db.prisma.finding.create({
    data: { clusterId: cluster.id, controlId: "NP-01", openedAt: new Date(), openedSnapshotId: 1n, subscriptionId: "s1", owner: "o", production: false, slaDueAt: new Date() },
  });
  const event = await db.prisma.findingEvent.create({ data: { findingId: finding.id, at: new Date(), actor: "system", type: "opened" } });
  await expect(db.pool.query("UPDATE finding_events SET actor = 'x' WHERE id = $1", [event.id])).rejects.toThrow(/append-only/);
  await expect(db.pool.query("DELETE FROM finding_events WHERE id = $1", [event.id])).rejects.toThrow(/append-only/);
});
