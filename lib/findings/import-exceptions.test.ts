import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";

import { runCollection } from "@/lib/collector/run-collection";
import { AppError } from "@/lib/errors";
import { DEFAULT_POSTURE_CONFIG, type InClusterData } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { runAnalyzeInProcess, temporaryDirectoryPerFile } from "@/testing/run-analyze";
import { setupTestDatabase } from "@/testing/setup-test-database";
import * as waiversRoute from "@/app/api/clusters/[id]/waivers/route";
import { importExceptionsAsWaivers } from "./import-exceptions";

const db = setupTestDatabase({ processWide: true });
const NOW = new Date("2026-06-10T12:00:00Z");

/** Two allow-any rules in `default`: the one `makeInCluster` writes and a second, from the world. */
const TWO_RULES: InClusterData = (() => {
  const data = makeInCluster({ allowAnyIngress: true });
  data.policies.push({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "from-world", namespace: "default" },
    spec: { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
  });
  return data;
})();

let clusterId: number;
let otherId: number;
const temporary = temporaryDirectoryPerFile("bulkhead-import-exceptions-");

beforeAll(async () => {
  const source = scriptedSource(
    { [SUB_A]: [makeCluster({ name: "aks-shop", networkPolicy: "azure" }), makeCluster({ name: "aks-old", networkPolicy: "none" })] },
    { "aks-shop": TWO_RULES, "aks-old": makeInCluster() },
  );
  await runCollection(db, { source, capturedAt: at("2026-06-01T06:00:00Z"), config: DEFAULT_POSTURE_CONFIG });
  clusterId = (await db.prisma.cluster.findFirstOrThrow({ where: { name: "aks-shop" } })).id;
  otherId = (await db.prisma.cluster.findFirstOrThrow({ where: { name: "aks-old" } })).id;
});

const exceptionsFile = (entries: unknown[]) => stringify({ exceptions: entries });
const ALLOW_ALL = { rule: { namespace: "default", policy: "allow-all", direction: "ingress", index: 0 }, reason: "Web tier takes traffic from every namespace by design.", owner: "web@example.com", expires: "2026-08-31" };
const FROM_WORLD = { rule: { namespace: "default", policy: "from-world", index: 0 }, reason: "Public API behind Front Door with a WAF.", owner: "api@example.com", expires: "2026-07-15" };

describe("importing an exceptions file as waivers", () => {
  test("a finding is waived only when every rule it fails on is covered; a dry run writes nothing", async () => {
    const partial = await importExceptionsAsWaivers(db, { clusterId, file: "exceptions.yaml", content: exceptionsFile([ALLOW_ALL]), actor: "sec@example.com", apply: true }, NOW);
    const np06 = partial.findings.find((finding) => finding.controlId === "NP-06");
    expect(np06).toMatchObject({ action: "not-covered", uncovered: ["NetworkPolicy default/from-world ingress[0]"], exceptions: [0] });
    expect(partial.waived).toBe(0);

    const dry = await importExceptionsAsWaivers(db, { clusterId, file: "exceptions.yaml", content: exceptionsFile([ALLOW_ALL, FROM_WORLD]), actor: "sec@example.com", apply: false }, NOW);
    expect(dry.findings.find((finding) => finding.controlId === "NP-06")).toMatchObject({ action: "waive", until: "2026-07-15", capped: false, exceptions: [0, 1] });
    expect(await db.prisma.waiver.count({ where: { clusterId } })).toBe(0);
  });

  test("--yes / apply records the waiver through the earliest expiry, with the file, entries, reasons and owners; a second import finds it waived", async () => {
    const result = await importExceptionsAsWaivers(db, { clusterId, file: "exceptions.yaml", content: exceptionsFile([ALLOW_ALL, FROM_WORLD]), actor: "sec@example.com", apply: true }, NOW);
    expect(result.waived).toBe(1);
    const waiver = await db.prisma.waiver.findFirstOrThrow({ where: { clusterId, controlId: "NP-06" } });
    expect(waiver.expiresAt.toISOString()).toBe("2026-07-16T00:00:00.000Z");
    expect(waiver.createdBy).toBe("sec@example.com");
    expect(waiver.reason).toBe(
      "Exceptions as code (exceptions.yaml, exceptions[0], exceptions[1]): Web tier takes traffic from every namespace by design.; Public API behind Front Door with a WAF. (owner web@example.com, api@example.com)",
    );
    const event = await db.prisma.findingEvent.findFirstOrThrow({ where: { findingId: waiver.findingId, type: "waived" } });
    expect(event.actor).toBe("sec@example.com");
    const again = await importExceptionsAsWaivers(db, { clusterId, file: "exceptions.yaml", content: exceptionsFile([ALLOW_ALL, FROM_WORLD]), actor: "sec@example.com", apply: true }, NOW);
    expect(again.findings.find((finding) => finding.controlId === "NP-06")).toMatchObject({ action: "already-waived", until: "2026-07-15" });
    expect(again.waived).toBe(0);
  });

  test("a cluster-wide control (NP-01) by cluster name, capped at the dashboard's 180 days; expired and unmatched exceptions are reported", async () => {
    const content = exceptionsFile([
      { control: "NP-01", cluster: "aks-old", reason: "Decommissioned at the end of the year; no new workloads.", owner: "platform@example.com", expires: "2027-12-31" },
      { control: "NP-02", namespace: "default", reason: "An exception that expired before today, kept by mistake.", owner: "platform@example.com", expires: "2026-06-01" },
      { control: "NP-06", namespace: "payments", reason: "Nothing in this cluster is in the payments namespace.", owner: "platform@example.com", expires: "2026-12-31" },
    ]);
    const result = await importExceptionsAsWaivers(db, { clusterId: otherId, file: "old.yaml", content, actor: "sec@example.com", apply: true }, NOW);
    expect(result.findings.find((finding) => finding.controlId === "NP-01")).toMatchObject({ action: "waive", until: "2026-12-07", capped: true });
    expect(result.exceptions.map((exception) => exception.status)).toEqual(["applied", "expired", "unmatched"]);
  });

  test("a wrong file is a bad request naming the file, the entry, the field and the line; an unknown cluster is not found", async () => {
    const wrong = importExceptionsAsWaivers(db, { clusterId, file: "bad.yaml", content: "exceptions:\n  - control: NP-02\n    reason: too short\n    owner: x\n    expires: 2026-13-01\n", actor: "a", apply: true }, NOW);
    await expect(wrong).rejects.toThrow(AppError);
    await expect(wrong).rejects.toThrow("bad.yaml: exceptions[0].reason (line 3): must say why (at least 10 characters)\nbad.yaml: exceptions[0].expires (line 5): must be a date (YYYY-MM-DD)");
    await expect(importExceptionsAsWaivers(db, { clusterId: 999_999, file: "x.yaml", content: "exceptions: []\n", actor: "a", apply: false }, NOW)).rejects.toThrow("cluster 999999 does not exist");
  });

  test("the command line agrees: `bulkhead analyze --exceptions` on the same objects excepts the same rules", async () => {
    const manifests = join(temporary(), "objects.yaml");
    await writeFile(manifests, stringify({ apiVersion: "v1", kind: "List", items: [...TWO_RULES.namespaces.map((item) => ({ apiVersion: "v1", kind: "Namespace", ...(item as object) })), ...TWO_RULES.policies] }));
    const file = join(temporary(), "exceptions.yaml");
    await writeFile(file, exceptionsFile([ALLOW_ALL, FROM_WORLD]));
    const run = await runAnalyzeInProcess([manifests, "--exceptions", file, "--json"], { now: () => NOW });
    const json = JSON.parse(run.stdout);
    expect(json.allowAnyRules.map((rule: { policy: string; exception?: { index: number } }) => [rule.policy, rule.exception?.index])).toEqual([
      ["allow-all", 0],
      ["from-world", 1],
    ]);
    expect(run.code).toBe(0);
  });
});

describe("POST /api/clusters/[id]/waivers", () => {
  test("sign-in required; viewers and finops may not; security may, and a bad body is a 400 naming the field", async () => {
    const body = { file: "exceptions.yaml", content: exceptionsFile([ALLOW_ALL]), apply: false };
    const params = { id: String(clusterId) };
    expect((await callRoute(waiversRoute.POST, { method: "POST", params, body })).status).toBe(401);
    for (const role of ["viewer", "finops"] as const) {
      expect((await callRoute(waiversRoute.POST, { method: "POST", params, body, cookie: await signInAs(db, role) })).status).toBe(403);
    }
    const security = await signInAs(db, "security");
    const ok = await callRoute(waiversRoute.POST, { method: "POST", params, body, cookie: security });
    expect(ok.status).toBe(200);
    expect((ok.body as { cluster: { name: string }; applied: boolean }).cluster.name).toBe("aks-shop");
    const bad = await callRoute(waiversRoute.POST, { method: "POST", params, body: { content: 42 }, cookie: security });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("content");
    const badFile = await callRoute(waiversRoute.POST, { method: "POST", params, body: { content: "exceptions: nope\n" }, cookie: security });
    expect(badFile.status).toBe(400);
    expect((badFile.body as { error: { message: string } }).error.message).toBe("exceptions.yaml: exceptions (line 1): must be a list of exceptions");
  });
});
