// Rules v2 on the read side, against the real Postgres: what the store keeps per snapshot (rules
// version, policy kinds, the evaluation's policy objects and problems), the clusters table's engine
// and object-kind filters, and the cluster page's policy objects, problems and allow-any rules.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG, RULES_VERSION } from "@/lib/posture";
import { createFilesSource } from "@/lib/sources/files";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { GET as listClustersRoute } from "@/app/api/clusters/route";
import { getClusterDetail } from "./get-cluster-detail";
import { listClusters } from "./list-clusters";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";

const SAMPLE = fileURLToPath(new URL("../../testing/fixtures/sample-estate/", import.meta.url));
const db = setupTestDatabase({ processWide: true });
const config = DEFAULT_POSTURE_CONFIG;

/** A Cilium cluster whose CiliumNetworkPolicy has a CIDR that does not parse. */
const broken = {
  namespaces: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "kubernetes.io/metadata.name": "shop" } } }],
  policies: [],
  ciliumNetworkPolicies: [
    {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      metadata: { name: "egress-partners", namespace: "shop" },
      spec: { endpointSelector: {}, egress: [{ toCIDR: ["10.20.300.0/24"] }] },
    },
  ],
};

beforeAll(async () => {
  // Rules version 1 history of one cluster, then the sample estate and a broken Cilium cluster today.
  await runCollection(db, {
    source: scriptedSource({ [SUB_B]: [makeCluster({ subscription: SUB_B, name: "legacy", owner: "ops" })] }, { legacy: makeInCluster() }),
    capturedAt: at("2026-03-01T06:00:00Z"),
    config,
    judge: judgeWithRulesOne,
  });
  await runCollection(db, { source: await createFilesSource(SAMPLE), capturedAt: at("2026-03-02T06:00:00Z"), config });
  await runCollection(db, {
    source: scriptedSource({ [SUB_A]: [makeCluster({ name: "shop-cilium", owner: "shop", networkPolicy: "cilium" })] }, { "shop-cilium": broken }),
    capturedAt: at("2026-03-03T06:00:00Z"),
    config,
  });
});

const names = async (params: Parameters<typeof listClusters>[1]) => (await listClusters(db, { pageSize: 100, ...params })).rows.map((row) => row.name).sort();
const detailOf = async (name: string) => {
  const id = (await db.prisma.cluster.findFirstOrThrow({ where: { name } })).id;
  const detail = await getClusterDetail(db, id, config, at("2026-03-04T00:00:00Z"));
  if (!detail) throw new Error(`no detail for ${name}`);
  return detail;
};

describe("what the store keeps", () => {
  test("snapshots and evaluations record their rules version; snapshots the policy kinds they read", async () => {
    const { rows } = await db.pool.query<{ name: string; rules_version: number; evaluation_version: number; policy_kinds: string[] }>(
      `SELECT c.name, s.rules_version, e.rules_version AS evaluation_version, s.policy_kinds
         FROM clusters c ${latestSnapshotJoin("c", "s")} JOIN evaluations e ON e.hash = s.evaluation_hash ORDER BY c.name`,
    );
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
    expect(byName.legacy).toMatchObject({ rules_version: 1, evaluation_version: 1 });
    expect(byName["aks-mesh-prod"]).toMatchObject({ rules_version: RULES_VERSION, evaluation_version: RULES_VERSION, policy_kinds: ["CiliumClusterwideNetworkPolicy", "CiliumNetworkPolicy"] });
    expect(byName["aks-ledger-prod"].policy_kinds).toEqual(["AdminNetworkPolicy", "CalicoGlobalNetworkPolicy", "CalicoNetworkPolicy", "NetworkPolicy"]);
    expect(byName["aks-web-dev"].policy_kinds).toEqual([]);
  });

  test("the evaluation document holds the policy objects and the problems", async () => {
    const { rows } = await db.pool.query<{ policies: { kind: string; name: string }[]; problems: { field: string }[] }>(
      `SELECT e.policies, e.problems FROM clusters c ${latestSnapshotJoin("c", "s")} JOIN evaluations e ON e.hash = s.evaluation_hash WHERE c.name = 'shop-cilium'`,
    );
    expect(rows[0].policies).toEqual([expect.objectContaining({ kind: "CiliumNetworkPolicy", name: "egress-partners" })]);
    expect(rows[0].problems).toEqual([expect.objectContaining({ field: "egress[0].toCIDR[0]" })]);
  });
});

describe("the clusters table filters by engine and by object kind", () => {
  test("by engine name, or any / no engine", async () => {
    expect(await names({ engine: "cilium" })).toEqual(["aks-mesh-prod", "aks-platform-prod", "shop-cilium"]);
    expect(await names({ engine: "calico" })).toEqual(["aks-ledger-prod"]);
    expect(await names({ engine: "azure" })).toEqual(["aks-payments-prod", "legacy"]);
    expect(await names({ engine: "none" })).toEqual(["aks-analytics-prod", "aks-web-dev"]);
    expect(await names({ engine: "disabled" })).toEqual(["aks-analytics-prod", "aks-web-dev"]);
  });

  test("by the kinds of policy object the latest snapshot read; `none` is in-cluster data without any", async () => {
    expect(await names({ kind: "CiliumClusterwideNetworkPolicy" })).toEqual(["aks-mesh-prod"]);
    expect(await names({ kind: "CiliumNetworkPolicy" })).toEqual(["aks-mesh-prod", "shop-cilium"]);
    expect(await names({ kind: "CalicoGlobalNetworkPolicy" })).toEqual(["aks-ledger-prod"]);
    expect(await names({ kind: "AdminNetworkPolicy" })).toEqual(["aks-ledger-prod"]);
    expect(await names({ kind: "NetworkPolicy", engine: "cilium" })).toEqual(["aks-platform-prod"]);
    expect(await names({ kind: "none" })).toEqual([]);
  });

  test("GET /api/clusters takes them from the URL and names a wrong one in a 400", async () => {
    const cookie = await signInAs(db, "viewer");
    const ok = await callRoute(listClustersRoute, { path: "/api/clusters?engine=calico&kind=CalicoNetworkPolicy", cookie });
    expect(ok.status).toBe(200);
    expect((ok.body as { rows: { name: string }[] }).rows.map((row) => row.name)).toEqual(["aks-ledger-prod"]);
    const badKind = await callRoute(listClustersRoute, { path: "/api/clusters?kind=CiliumPolicy", cookie });
    expect(badKind.status).toBe(400);
    expect((badKind.body as { error: { message: string } }).error.message).toMatch(/^kind: must be one of "NetworkPolicy", "CiliumNetworkPolicy"/);
    const badEngine = await callRoute(listClustersRoute, { path: "/api/clusters?engine=antrea", cookie });
    expect(badEngine.status).toBe(400);
    expect((badEngine.body as { error: { message: string } }).error.message).toMatch(/^engine: must be one of "enabled", "disabled", "cilium"/);
  });
});

describe("the cluster page", () => {
  test("lists each policy object with its kind, scope, enforcement and what it contributes per namespace", async () => {
    const mesh = await detailOf("aks-mesh-prod");
    expect(mesh.snapshot).toMatchObject({ rulesVersion: RULES_VERSION, currentRulesVersion: RULES_VERSION });
    const baseline = mesh.policies.find((policy) => policy.name === "workload-baseline");
    expect(baseline).toEqual({
      kind: "CiliumClusterwideNetworkPolicy",
      namespace: null,
      name: "workload-baseline",
      scope: "cluster",
      enforced: true,
      notEnforcedBecause: null,
      problems: 0,
      // Three namespaces, one contribution: grouped.
      contributions: [{ namespaces: ["catalog", "checkout", "default"], isolatesIngress: true, isolatesEgress: true, allows: 1, denies: 1 }],
    });
    expect(mesh.policies.find((policy) => policy.name === "checkout-api-from-catalog")).toMatchObject({
      kind: "CiliumNetworkPolicy",
      namespace: "checkout",
      scope: "namespace",
      contributions: [{ namespaces: ["checkout"], isolatesIngress: true, isolatesEgress: false, allows: 1, denies: 0 }],
    });
  });

  test("says why an object is not enforced, and shows allow-any rules with their kind, scope and list", async () => {
    const ledger = await detailOf("aks-ledger-prod");
    expect(ledger.policies.find((policy) => policy.kind === "AdminNetworkPolicy")).toMatchObject({ enforced: false, notEnforcedBecause: "No engine AKS offers enforces admin network policies today." });
    expect(ledger.allowAnyRules).toEqual([expect.objectContaining({ kind: "CalicoNetworkPolicy", scope: "namespace", list: "egress", namespace: "reports", policy: "exporter-egress", index: 0, class: "B" })]);
    const analytics = await detailOf("aks-analytics-prod");
    expect(analytics.policies[0]).toMatchObject({ kind: "NetworkPolicy", enforced: false, notEnforcedBecause: "Only a policy engine (azure, calico or cilium) enforces it; this cluster runs no engine." });
  });

  test("names each problem with its object and field", async () => {
    const shop = await detailOf("shop-cilium");
    expect(shop.problems).toEqual([
      expect.objectContaining({ object: { kind: "CiliumNetworkPolicy", namespace: "shop", name: "egress-partners" }, field: "egress[0].toCIDR[0]", why: "is not a CIDR or an address" }),
    ]);
    expect(shop.policies[0]).toMatchObject({ problems: 1 });
  });

  test("a snapshot judged with rules version 1 says so and has no policy objects", async () => {
    const legacy = await detailOf("legacy");
    expect(legacy.snapshot).toMatchObject({ rulesVersion: 1, currentRulesVersion: RULES_VERSION });
    expect(legacy.policies).toEqual([]);
  });
});
