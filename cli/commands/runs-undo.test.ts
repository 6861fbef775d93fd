import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { runCli } from "@/testing/run-cli";

const FIXTURES = fileURLToPath(new URL("../../testing/fixtures/sample-estate/", import.meta.url));

let db: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url };
});
afterAll(async () => {
  await db?.close();
});

describe("a capture time in the future, and the way back from a wrong run", () => {
  test("import --as-of in the future: exit 2 naming --as-of, nothing written", async () => {
    const result = await runCli(["import", FIXTURES, "--as-of", "2099-01-01T00:00:00Z"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--as-of/);
    expect(result.stderr).toMatch(/"2099-01-01T00:00:00Z" is in the future \(more than 5 minutes ahead of this machine's clock/);
    expect(await db.prisma.collectionRun.count()).toBe(0);
  });

  test("runs undo-last takes back a run that blocks the ones after it; the run stays listed as undone", async () => {
    expect((await runCli(["runs", "undo-last", "--yes"], env)).stderr).toMatch(/There is no completed run to undo/);
    // A few minutes ahead is clock skew, and accepted; the export of "now" is then older than the latest run.
    const ahead = new Date(Date.now() + 4 * 60_000).toISOString();
    expect((await runCli(["import", FIXTURES, "--as-of", ahead], env)).code).toBe(0);
    const now = new Date().toISOString();
    const blocked = await runCli(["import", FIXTURES, "--as-of", now], env);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(/is before the latest completed run/);

    const asked = await runCli(["runs", "undo-last"], env);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(new RegExp(`The latest completed run is run #1 \\(files, captured ${ahead.replace(/[.]/g, "\\.")}, 6 clusters\\)\\. Pass --yes to undo it\\.`));
    expect(await db.prisma.snapshot.count()).toBe(6);

    const undone = await runCli(["runs", "undo-last", "--yes"], env);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/^Undid run #1 .*\n {2}snapshots removed: 6; clusters restored: 0, removed: 6/);
    expect(await db.prisma.snapshot.count()).toBe(0);
    expect(await db.prisma.cluster.count()).toBe(0);
    expect(await db.prisma.finding.count()).toBe(0);
    expect(await db.prisma.collectionRun.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ status: "undone", undoneBy: expect.stringMatching(/^cli:.+@.+/) });

    const retried = await runCli(["import", FIXTURES, "--as-of", now], env);
    expect(retried.code).toBe(0);
    const kpis = JSON.parse((await runCli(["kpis", "--json"], env)).stdout);
    expect(kpis.groups[0]).toMatchObject({ clusters: 6, clustersEnabled: 4 });
  });
});
