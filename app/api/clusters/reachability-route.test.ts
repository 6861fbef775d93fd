// The cluster page's reachability against the real Postgres: the stored document behind the matrix,
// and GET /api/clusters/:id/reachability explaining one cell (docs/reachability.md).
import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG, evaluateCluster, type InClusterData } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import type { ReachabilityExplanation } from "@/lib/data/get-reachability-explanation";
import { GET as getCluster } from "./[id]/route";
import { GET as explainCell } from "./[id]/reachability/route";

const db = setupTestDatabase({ processWide: true });
let shopId: number;
let unreadId: number;
let cookie: string;

const namespace = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } });
const policy = (namespaceName: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: namespaceName }, spec });
const pods = (namespaceName: string, labels: Record<string, string>, count: number) => ({ metadata: { namespace: namespaceName, labels }, count });

/**
 * `shop` isolates nothing; `billing` admits on ingress only shop's web pods on TCP 8443; `vault`
 * denies both ways by default. 2 web + 1 worker pods in shop, 2 ledger in billing, 1 secret in vault.
 */
const OBJECTS: InClusterData = {
  namespaces: [namespace("shop"), namespace("billing"), namespace("vault"), namespace("kube-system")],
  policies: [
    policy("billing", "allow-web", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "shop" } }, podSelector: { matchLabels: { app: "web" } } }], ports: [{ protocol: "TCP", port: 8443 }] }],
    }),
    policy("vault", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
  ],
  pods: [pods("shop", { app: "web" }, 2), pods("shop", { app: "worker" }, 1), pods("billing", { app: "ledger" }, 2), pods("vault", { app: "secret" }, 1)],
};

beforeAll(async () => {
  await runCollection(db, {
    source: scriptedSource({ [SUB_A]: [makeCluster({ name: "shop-prod", networkPolicy: "cilium" }), makeCluster({ name: "unread" })] }, { "shop-prod": OBJECTS }),
    capturedAt: at("2026-06-01T06:00:00Z"),
    config: DEFAULT_POSTURE_CONFIG,
  });
  shopId = (await db.prisma.cluster.findFirstOrThrow({ where: { name: "shop-prod" } })).id;
  unreadId = (await db.prisma.cluster.findFirstOrThrow({ where: { name: "unread" } })).id;
  cookie = await signInAs(db, "viewer");
});

async function explain(id: number, from: string, to: string, options: { anonymous?: boolean } = {}) {
  const { status, body } = await callRoute(explainCell, {
    path: `/api/clusters/${id}/reachability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    params: { id: String(id) },
    cookie: options.anonymous ? undefined : cookie,
  });
  return { status, body: body as ReachabilityExplanation & { error?: { code: string; message: string } } };
}

describe("the cluster detail's reachability", () => {
  test("is the stored document: the exposure the snapshot counts, the namespaces, the pairs and the risky classes", async () => {
    const { status, body } = await callRoute(getCluster, { path: `/api/clusters/${shopId}`, params: { id: String(shopId) }, cookie });
    expect(status).toBe(200);
    const view = (body as ClusterDetail).reachability!;
    const snapshot = await db.prisma.snapshot.findFirstOrThrow({ where: { clusterId: shopId } });
    const expected = evaluateCluster(makeCluster({ name: "shop-prod", networkPolicy: "cilium" }), OBJECTS).reachability!;
    expect(view).toMatchObject({ source: "stored", pods: 6, hasPodData: true, exposure: expected.exposure });
    expect(view.exposure).toBe(snapshot.lateralExposure?.toNumber());
    expect(view.namespaces).toEqual([
      { name: "billing", pods: 2, classes: 1 },
      { name: "shop", pods: 3, classes: 2 },
      { name: "vault", pods: 1, classes: 1 },
    ]);
    const cell = (from: string, to: string) => view.pairs.find(([a, b]) => view.namespaces[a].name === from && view.namespaces[b].name === to)?.[2] ?? null;
    // Shop's web pods reach billing's ledgers; nothing reaches vault, and vault reaches nothing.
    expect(cell("shop", "billing")).toBe(2);
    expect(cell("shop", "shop")).toBe(3);
    expect(cell("billing", "shop")).toBe(3);
    expect(cell("shop", "vault")).toBeNull();
    expect(cell("vault", "shop")).toBeNull();
    // Shop isolates nothing: the outside reaches it, and it reaches IMDS; so does billing's egress.
    expect(view.internetExposed.classes.map((cls) => [cls.namespace, cls.labels])).toEqual([
      ["shop", { app: "web" }],
      ["shop", { app: "worker" }],
      ["shop", null],
    ]);
    expect(view.reachesImds.classes.map((cls) => cls.namespace).sort()).toEqual(["billing", "billing", "shop", "shop", "shop"]);
  });

  test("is null without in-cluster data", async () => {
    const { body } = await callRoute(getCluster, { path: `/api/clusters/${unreadId}`, params: { id: String(unreadId) }, cookie });
    expect((body as ClusterDetail).reachability).toBeNull();
  });
});

describe("GET /api/clusters/:id/reachability", () => {
  test("needs a signed-in user", async () => {
    const { status, body } = await explain(shopId, "shop", "billing", { anonymous: true });
    expect(status).toBe(401);
    expect(body.error?.code).toBe("unauthenticated");
  });

  test("explains a cell admitted by one allow on the ingress side, and finds the one rule that closes it", async () => {
    const { status, body } = await explain(shopId, "shop", "billing");
    expect(status).toBe(200);
    expect(body).toMatchObject({ clusterId: shopId, from: "shop", to: "billing", connected: true, ports: ["TCP/8443"], pathCount: 2 });
    // The web pods reach billing's ledgers, and a new deployment in billing.
    expect(body.paths).toEqual([
      { from: { namespace: "shop", labels: { app: "web" }, pods: 2 }, to: { namespace: "billing", labels: null, pods: 0 }, ports: ["TCP/8443"] },
      { from: { namespace: "shop", labels: { app: "web" }, pods: 2 }, to: { namespace: "billing", labels: { app: "ledger" }, pods: 2 }, ports: ["TCP/8443"] },
    ]);
    expect(body.egress).toEqual([expect.objectContaining({ rule: null, reason: "not-isolated", namespace: "shop" })]);
    expect(body.ingress).toEqual([expect.objectContaining({ rule: "billing/allow-web ingress[0]", kind: "NetworkPolicy", reason: "allow", namespace: "billing", ports: ["TCP/8443"], pairs: 2 })]);
    expect(body.smallestChange).toMatchObject({ kind: "remove-rule", direction: "ingress", rule: "billing/allow-web ingress[0]", closes: true, manifest: null });
    expect(body.otherChanges).toContainEqual(expect.objectContaining({ kind: "default-deny", direction: "egress", namespace: "shop", closes: true, manifest: expect.stringContaining("policyTypes:") }));
  });

  test("where nothing isolates either side, the smallest change is a default deny, with its manifest", async () => {
    const { body } = await explain(shopId, "billing", "shop");
    expect(body.connected).toBe(true);
    expect(body.egress.every((admission) => admission.rule === null)).toBe(true);
    expect(body.smallestChange).toMatchObject({ kind: "default-deny", closes: true });
    expect(body.smallestChange?.manifest).toMatch(/kind: NetworkPolicy[\s\S]*podSelector: \{\}/);
  });

  test("a cell nothing connects says so, with nothing to close", async () => {
    const { status, body } = await explain(shopId, "shop", "vault");
    expect(status).toBe(200);
    expect(body).toMatchObject({ connected: false, paths: [], egress: [], ingress: [], smallestChange: null, otherChanges: [] });
  });

  test.each([
    ["a namespace the cluster does not have", () => explain(shopId, "shop", "nowhere"), 404, /"nowhere" is not a workload namespace/],
    ["a system namespace", () => explain(shopId, "kube-system", "shop"), 404, /not a workload namespace/],
    ["a cluster without in-cluster data", () => explain(unreadId, "shop", "billing"), 404, /no in-cluster data/],
    ["a cluster that does not exist", () => explain(999_999, "shop", "billing"), 404, /does not exist/],
    ["a name that is no namespace name", () => explain(shopId, "Shop_1", "billing"), 400, /^from: must be a namespace name/],
  ] as const)("%s: a 4xx with a message", async (_, call, status, message) => {
    const { status: actual, body } = await call();
    expect(actual).toBe(status);
    expect(body.error?.message).toMatch(message);
  });
});
