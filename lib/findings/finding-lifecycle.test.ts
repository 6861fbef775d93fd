import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { createWaiver } from "@/lib/db/waivers";
import { getKpis } from "@/lib/kpi/get-kpis";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { at, makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";

const db = setupTestDatabase();
let server: Server;
const received: { text: string; event: string; findings: { controlId: string; url: string }[] }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push(JSON.parse(body));
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.BULKHEAD_WEBHOOK_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  process.env.BULKHEAD_PUBLIC_URL = "https://bulkhead.example.com";
  await runCollection(db, { source: scriptedSource({ [SUB_A]: [makeCluster({ name: "c1", networkPolicy: "none" })] }), capturedAt: at("2026-01-01T06:00:00Z"), config: DEFAULT_POSTURE_CONFIG });
});
afterAll(async () => {
  server?.close();
});

describe("waiver expiry and overdue findings", () => {
  test("an expired waiver is written to the trail once, and the finding is back in the KPIs from the expiry on", async () => {
    const { recordExpiredWaivers } = await import("./finding-lifecycle");
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-01" } });
    await createWaiver(db, { findingId: finding.id, reason: "migration planned", expiresAt: at("2026-01-10T00:00:00Z"), actor: "sec@example.com", at: at("2026-01-02T00:00:00Z") });
    expect((await getKpis(db, { asOf: at("2026-01-05T00:00:00Z") })).groups[0]).toMatchObject({ controlsFailed: 3, openFindings: 0 });
    expect((await getKpis(db, { asOf: at("2026-01-11T00:00:00Z") })).groups[0]).toMatchObject({ controlsFailed: 4, openFindings: 1 });

    expect(await recordExpiredWaivers(db, at("2026-01-09T00:00:00Z"))).toBe(0);
    expect(await recordExpiredWaivers(db, at("2026-01-11T00:00:00Z"))).toBe(1);
    expect(await recordExpiredWaivers(db, at("2026-01-12T00:00:00Z"))).toBe(0);
    const events = await db.prisma.findingEvent.findMany({ where: { findingId: finding.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.type, e.at.toISOString()])).toEqual([
      ["opened", "2026-01-01T06:00:00.000Z"],
      ["waived", "2026-01-02T00:00:00.000Z"],
      ["waiver-expired", "2026-01-10T00:00:00.000Z"],
    ]);
  });

  test("findings past their due date are announced once on the webhook, with links to them", async () => {
    const { notifyOverdueFindings } = await import("./finding-lifecycle");
    // Opened 2026-01-01 06:00. SLAs: NP-01 and NP-02 30 days, NP-05 14 days, NP-03 45 days (due 02-15 06:00).
    expect(await notifyOverdueFindings(db, at("2026-01-14T00:00:00Z"))).toBe(0);
    const overdue = await notifyOverdueFindings(db, at("2026-02-15T00:00:00Z"));
    expect(overdue).toBe(3);
    expect(received).toHaveLength(1);
    expect(received[0].event).toBe("finding.overdue");
    expect(received[0].text).toMatch(/^3 findings are past due: /);
    expect(received[0].findings.map((f) => f.controlId).sort()).toEqual(["NP-01", "NP-02", "NP-05"]);
    expect(received[0].findings[0].url).toMatch(/^https:\/\/bulkhead\.example\.com\/findings\/\d+$/);
    // Only NP-03, overdue since 02-15 06:00, is new the next day.
    expect(await notifyOverdueFindings(db, at("2026-02-16T00:00:00Z"))).toBe(1);
    expect(received).toHaveLength(2);
    expect(received[1].findings.map((f) => f.controlId)).toEqual(["NP-03"]);
    expect(await notifyOverdueFindings(db, at("2026-02-17T00:00:00Z"))).toBe(0);
  });
});
