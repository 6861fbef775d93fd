import { describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getMigrationView } from "./get-migration-view";

const db = setupTestDatabase({ resetBeforeEach: true });
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });

const overlay = (policy: string | null, dataplane?: string) => ({ networkPlugin: "azure", networkPluginMode: "overlay", podCidr: "10.244.0.0/16", ...(policy ? { networkPolicy: policy } : {}), ...(dataplane ? { networkDataplane: dataplane } : {}) });
const c1 = (migrated: boolean) => ({ ...makeCluster({ name: "c1", owner: "team-a" }), kubernetesVersion: "1.32.2", networkProfile: migrated ? overlay("cilium", "cilium") : overlay("azure") });
const c2 = makeCluster({ name: "c2", owner: "team-a", networkPolicy: "none" });
const c3 = {
  ...makeCluster({ name: "c3", owner: "team-b" }),
  kubernetesVersion: "1.31.5",
  networkProfile: { networkPlugin: "kubenet", networkPolicy: "azure" },
  agentPoolProfiles: [
    { name: "system", count: 3, osType: "Linux", mode: "System" },
    { name: "win22", count: 2, osType: "Windows", mode: "User" },
  ],
};
const withService = { ...makeInCluster(), services: [{ metadata: { namespace: "default", name: "web" }, spec: { type: "LoadBalancer" } }] };

describe("the migration view (docs/migration.md)", () => {
  test("burn-down by engine with carry-forward and deletions; owners; NPM clusters with readiness from their stored documents", async () => {
    await collect(scriptedSource({ [SUB_A]: [c1(false), c2, c3] }, { c1: withService }), "2026-02-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c1(true), c2, c3] }, { c1: withService }), "2026-02-02T06:00:00Z");
    // c2 is deleted (its subscription listed without it); c3 is not read again but carried forward.
    await collect(scriptedSource({ [SUB_A]: [c1(true), c3] }), "2026-02-03T06:00:00Z");

    const view = await getMigrationView(db, { today: at("2026-02-03T12:00:00Z"), days: 3, scope: {} });
    expect(view.days).toEqual(["2026-02-01", "2026-02-02", "2026-02-03"]);
    expect(view.burnDown).toEqual({ npm: [2, 1, 1], cilium: [0, 1, 1], calico: [0, 0, 0], none: [1, 1, 0], other: [0, 0, 0] });

    expect(view.owners.map((o) => [o.owner, o.engines.npm, o.engines.cilium, o.verdicts.blocked, o.deadline])).toEqual([
      ["team-b", 1, 0, 1, "2026-09-30"],
      ["team-a", 0, 1, 0, null],
    ]);

    expect(view.clusters).toHaveLength(1);
    const [cluster] = view.clusters;
    expect(cluster).toMatchObject({ name: "c3", owner: "team-b", verdict: "blocked", deadline: "2026-09-30", daysLeft: 239, nodeCount: 5, windowsPools: ["win22"] });
    expect(cluster.checks.filter((check) => check.status === "blocker").map((check) => check.id)).toEqual(["network-plugin", "windows-pools"]);
    // Without in-cluster data the policy checks say so rather than pass.
    expect(cluster.checks.filter((check) => check.status === "unknown").map((check) => check.id)).toEqual(["end-port", "ipblock-pods", "ipblock-nodes", "named-ports", "external-traffic-policy"]);
    expect(cluster.commands).toContain("az aks update --resource-group rg-test --name c3 --network-dataplane cilium");

  });

  test("scope: an owner's view counts only that owner's clusters; Services read with the in-cluster objects are the evidence", async () => {
    await collect(scriptedSource({ [SUB_A]: [c1(false), c2, c3] }, { c1: withService }), "2026-02-01T06:00:00Z");
    const view = await getMigrationView(db, { today: at("2026-02-01T12:00:00Z"), days: 1, scope: { owner: "team-a" } });
    expect(view.burnDown).toMatchObject({ npm: [1], none: [1] });
    expect(view.clusters.map((c) => [c.name, c.verdict])).toEqual([["c1", "needs-work"]]);
    // Its Services were read with its other objects: the LoadBalancer is the evidence.
    const check = view.clusters[0].checks.find((c) => c.id === "external-traffic-policy");
    expect(check).toMatchObject({ status: "warning", evidence: ["Service default/web: LoadBalancer, externalTrafficPolicy Cluster"] });
  });

  test("an engine that changes and changes back is three stretches, not two overlapping ones", async () => {
    // c1: NPM, Cilium, NPM again (a migration rolled back); c3 stays on NPM; c2 has no engine throughout.
    await collect(scriptedSource({ [SUB_A]: [c1(false), c2, c3] }), "2026-03-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c1(true), c2, c3] }), "2026-03-02T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c1(true), c2, c3] }), "2026-03-03T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c1(false), c2, c3] }), "2026-03-04T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c1(false), c2, c3] }), "2026-03-05T06:00:00Z");
    const view = await getMigrationView(db, { today: at("2026-03-05T12:00:00Z"), days: 5, scope: {} });
    // Grouped by engine alone, c1's NPM snapshots (1 and 4–5 March) would make one stretch from the
    // 1st over its Cilium days, counting it twice on the 2nd and 3rd.
    expect(view.burnDown).toEqual({ npm: [2, 1, 1, 2, 2], cilium: [0, 1, 1, 0, 0], calico: [0, 0, 0, 0, 0], none: [1, 1, 1, 1, 1], other: [0, 0, 0, 0, 0] });
    expect(view.owners.find((o) => o.owner === "team-a")?.engines).toMatchObject({ npm: 1, cilium: 0, none: 1 });
  });
});
