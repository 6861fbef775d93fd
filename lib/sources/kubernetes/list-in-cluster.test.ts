// The real Kubernetes client against the fake API server (testing/fake-azure/fake-kube-server.ts):
// every policy kind of docs/design.md §4.3, pod classes as metadata only (§4.5), and the faults of §7.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { evaluateCluster } from "@/lib/posture";
import { makeDefaultDeny, makeNamespace, type FakeKubeCluster } from "@/testing/fake-azure/fake-estate";
import { startFakeKubeApi, type FakeKubeApi } from "@/testing/fake-azure/fake-kube-server";
import { createTestCertificate, type TestCertificate } from "@/testing/fake-azure/test-certificate";
import { listInClusterObjects } from "./list-in-cluster";
import { POD_METADATA_ACCEPT } from "./list-pod-classes";

const TOKEN = "aks-token-for-the-fake-3f9c";
let certificate: TestCertificate;
let api: FakeKubeApi | undefined;
beforeAll(async () => {
  certificate = await createTestCertificate();
});
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function read(cluster: FakeKubeCluster, options: { pageSize?: number; timeoutMs?: number } = {}) {
  api = await startFakeKubeApi(cluster, { certificate, token: TOKEN });
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5_000);
  return listInClusterObjects({ server: api.url, certificateAuthority: certificate.cert, token: TOKEN }, { signal, pageSize: options.pageSize ?? 250, maxPages: 50 });
}

const ccnp = (name: string) => ({
  apiVersion: "cilium.io/v2",
  kind: "CiliumClusterwideNetworkPolicy",
  metadata: { name, uid: `uid-${name}`, managedFields: [{ manager: "kubectl" }] },
  spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }], egress: [{ toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "kube-system", "k8s-app": "kube-dns" } }], toPorts: [{ ports: [{ port: "53", protocol: "UDP" }] }] }] },
});
const cnp = (namespace: string, name: string) => ({ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name, namespace }, spec: { endpointSelector: {}, ingress: [{}] } });
const calicoPolicy = (apiVersion: string, namespace: string, name: string) => ({ apiVersion, kind: "NetworkPolicy", metadata: { name, namespace }, spec: { selector: "all()", types: ["Ingress"] } });
const calicoGlobal = (apiVersion: string, name: string) => ({ apiVersion, kind: "GlobalNetworkPolicy", metadata: { name }, spec: { selector: "all()", types: ["Ingress", "Egress"], egress: [{ action: "Allow", protocol: "UDP", destination: { selector: "k8s-app == 'kube-dns'", ports: [53] } }] } });
const adminPolicy = (kind: string, apiVersion: string, name: string) => ({ apiVersion, kind, metadata: { name }, spec: { priority: 10, subject: { namespaces: {} }, ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] } });
const pod = (namespace: string, name: string, labels: Record<string, string>, phase = "Running") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels, annotations: { "kubectl.kubernetes.io/restartedAt": "2026-01-01" } },
  spec: { containers: [{ name: "app", image: "registry.example/app:1", env: [{ name: "DB_PASSWORD", value: "hunter2-in-a-pod-spec" }] }] },
  status: { phase },
});

const namesOf = (items: unknown[] | undefined) => (items ?? []).map((item) => (item as { metadata: { name: string } }).metadata.name);

describe("policy objects of every kind", () => {
  test("each kind is read from its API with kind and apiVersion on every item, without managedFields", async () => {
    const data = await read({
      namespaces: ["default", "payments", "kube-system"].map(makeNamespace),
      policies: [makeDefaultDeny("payments")],
      custom: {
        "ciliumclusterwidenetworkpolicies.cilium.io": [ccnp("baseline")],
        "ciliumnetworkpolicies.cilium.io": [cnp("payments", "allow-web")],
        "networkpolicies.projectcalico.org": [calicoPolicy("projectcalico.org/v3", "payments", "allow-api")],
        "globalnetworkpolicies.projectcalico.org": [calicoGlobal("projectcalico.org/v3", "default-deny")],
        "adminnetworkpolicies.policy.networking.k8s.io": [adminPolicy("AdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1", "cluster-guard")],
        "baselineadminnetworkpolicies.policy.networking.k8s.io": [adminPolicy("BaselineAdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1", "default")],
        "clusternetworkpolicies.policy.networking.k8s.io": [adminPolicy("ClusterNetworkPolicy", "policy.networking.k8s.io/v1alpha2", "tenants")],
      },
    });

    expect(namesOf(data.ciliumClusterwideNetworkPolicies)).toEqual(["baseline"]);
    expect(data.ciliumClusterwideNetworkPolicies![0]).toMatchObject({ kind: "CiliumClusterwideNetworkPolicy", apiVersion: "cilium.io/v2" });
    expect(data.ciliumClusterwideNetworkPolicies![0]).not.toHaveProperty("metadata.managedFields");
    expect(data.ciliumNetworkPolicies![0]).toMatchObject({ kind: "CiliumNetworkPolicy", apiVersion: "cilium.io/v2", metadata: { name: "allow-web", namespace: "payments" } });
    expect(data.calicoNetworkPolicies![0]).toMatchObject({ kind: "NetworkPolicy", apiVersion: "projectcalico.org/v3", metadata: { name: "allow-api" } });
    expect(data.calicoGlobalNetworkPolicies![0]).toMatchObject({ kind: "GlobalNetworkPolicy", apiVersion: "projectcalico.org/v3" });
    expect(data.adminNetworkPolicies![0]).toMatchObject({ kind: "AdminNetworkPolicy", apiVersion: "policy.networking.k8s.io/v1alpha1" });
    expect(data.baselineAdminNetworkPolicies![0]).toMatchObject({ kind: "BaselineAdminNetworkPolicy" });
    expect(data.clusterNetworkPolicies![0]).toMatchObject({ kind: "ClusterNetworkPolicy", apiVersion: "policy.networking.k8s.io/v1alpha2" });
    // Calico's v3 API answered, so its CRDs were not asked.
    expect(api!.requests.some((r) => r.path.startsWith("/apis/crd.projectcalico.org/"))).toBe(false);

    // What was read is what the evaluator judges: the Calico objects on a Calico cluster are enforced.
    const evaluation = evaluateCluster(
      { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c", name: "c", networkProfile: { networkPlugin: "azure", networkPolicy: "calico" } },
      data,
    );
    const kinds = evaluation.policies.filter((policy) => policy.enforced).map((policy) => policy.kind);
    expect(kinds.sort()).toEqual(["CalicoGlobalNetworkPolicy", "CalicoNetworkPolicy", "NetworkPolicy"]);
    expect(evaluation.policies.find((policy) => policy.kind === "AdminNetworkPolicy")).toMatchObject({ enforced: false, scope: "cluster" });
  });

  test("a kind whose CRD is not installed (404) is an empty list, not a failure", async () => {
    const data = await read({ namespaces: [makeNamespace("default")], policies: [] });

    for (const field of ["ciliumNetworkPolicies", "ciliumClusterwideNetworkPolicies", "calicoNetworkPolicies", "calicoGlobalNetworkPolicies", "adminNetworkPolicies", "baselineAdminNetworkPolicies", "clusterNetworkPolicies"] as const) {
      expect(data[field]).toEqual([]);
    }
    const notFound = api!.requests.filter((r) => r.path.startsWith("/apis/") && r.path !== "/apis/networking.k8s.io/v1/networkpolicies");
    // Both of Calico's APIs were tried for each Calico kind: 2 Cilium + 4 Calico + 3 admin.
    expect(notFound).toHaveLength(9);
  });

  test("without Calico's API server, Calico policies are read from its CRDs (crd.projectcalico.org/v1)", async () => {
    const data = await read({
      namespaces: [makeNamespace("payments")],
      policies: [],
      custom: {
        "networkpolicies.crd.projectcalico.org": [calicoPolicy("crd.projectcalico.org/v1", "payments", "default.allow-api")],
        "globalnetworkpolicies.crd.projectcalico.org": [calicoGlobal("crd.projectcalico.org/v1", "default.default-deny")],
      },
    });
    expect(data.calicoNetworkPolicies![0]).toMatchObject({ apiVersion: "crd.projectcalico.org/v1", kind: "NetworkPolicy", metadata: { name: "default.allow-api" } });
    expect(namesOf(data.calicoGlobalNetworkPolicies)).toEqual(["default.default-deny"]);
    const evaluation = evaluateCluster(
      { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c", name: "c", networkProfile: { networkPlugin: "azure", networkPolicy: "calico" } },
      data,
    );
    expect(evaluation.policies.map((policy) => policy.kind).sort()).toEqual(["CalicoGlobalNetworkPolicy", "CalicoNetworkPolicy"]);
  });

  test("custom resources are read page by page with limit and continue", async () => {
    const many = Array.from({ length: 23 }, (_, index) => ccnp(`policy-${String(index).padStart(2, "0")}`));
    const data = await read({ namespaces: [], policies: [], custom: { "ciliumclusterwidenetworkpolicies.cilium.io": many } }, { pageSize: 5 });

    expect(namesOf(data.ciliumClusterwideNetworkPolicies)).toEqual(many.map((policy) => policy.metadata.name));
    const pages = api!.requests.filter((r) => r.path === "/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies");
    expect(pages).toHaveLength(5);
    expect(pages.every((r) => r.limit === 5 && r.authorized)).toBe(true);
    expect(pages.slice(1).every((r) => typeof r.continueToken === "string")).toBe(true);
  });

  test.each([
    ["forbidden", "ciliumnetworkpolicies.cilium.io", /forbidden/],
    ["server-error", "globalnetworkpolicies.projectcalico.org", /unable to handle/],
    ["malformed", "adminnetworkpolicies.policy.networking.k8s.io", /not valid JSON/],
    ["forbidden", "pods", /forbidden/],
  ] as const)("a %s answer for one kind (%s) fails the whole read", async (behaviour, resource, message) => {
    const installed = resource === "pods" ? {} : { [resource]: [] };
    await expect(read({ namespaces: [makeNamespace("default")], policies: [], custom: installed, resourceBehaviour: { [resource]: behaviour } })).rejects.toThrow(message);
  });

  test("one kind that never answers ends the whole read at the deadline", async () => {
    const started = Date.now();
    await expect(
      read({ namespaces: [makeNamespace("default")], policies: [], custom: { "ciliumclusterwidenetworkpolicies.cilium.io": [ccnp("baseline")] }, resourceBehaviour: { "ciliumclusterwidenetworkpolicies.cilium.io": "hang" } }, { timeoutMs: 400 }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("pod classes", () => {
  test("pods are asked for as metadata only, not ended, and stored as distinct (namespace, labels) with counts", async () => {
    const pods = [
      pod("payments", "api-7d9f-1", { app: "api", tier: "backend", "pod-template-hash": "7d9f" }),
      pod("payments", "api-7d9f-2", { app: "api", tier: "backend", "pod-template-hash": "7d9f" }),
      // After a rollout: another hash, the same class.
      pod("payments", "api-5c21-1", { tier: "backend", app: "api", "pod-template-hash": "5c21" }),
      pod("payments", "db-0", { app: "db", "statefulset.kubernetes.io/pod-name": "db-0", "apps.kubernetes.io/pod-index": "0", "controller-revision-hash": "db-6b" }),
      pod("payments", "db-1", { app: "db", "statefulset.kubernetes.io/pod-name": "db-1", "apps.kubernetes.io/pod-index": "1", "controller-revision-hash": "db-6b" }),
      pod("payments", "report-28812-x", { "job-name": "report-28812", "batch.kubernetes.io/job-name": "report-28812", "controller-uid": "u1", app: "report" }, "Succeeded"),
      pod("kube-system", "coredns-1", { "k8s-app": "kube-dns", "pod-template-hash": "55" }),
      pod("web", "web-1", {}),
    ];
    const data = await read({ namespaces: ["payments", "web", "kube-system"].map(makeNamespace), policies: [], pods }, { pageSize: 3 });

    expect(data.pods).toEqual([
      { metadata: { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, count: 1 },
      { metadata: { namespace: "payments", labels: { app: "api", tier: "backend" } }, count: 3 },
      { metadata: { namespace: "payments", labels: { app: "db" } }, count: 2 },
      { metadata: { namespace: "web", labels: {} }, count: 1 },
    ]);
    const requests = api!.requests.filter((r) => r.path === "/api/v1/pods");
    expect(requests.length).toBeGreaterThan(1); // paged
    expect(requests.every((r) => r.accept === POD_METADATA_ACCEPT)).toBe(true);
    expect(requests.every((r) => r.fieldSelector === "status.phase!=Succeeded,status.phase!=Failed")).toBe(true);
    // Nothing of a pod spec, a name or an annotation is kept.
    const text = JSON.stringify(data);
    for (const secret of ["hunter2-in-a-pod-spec", "registry.example", "api-7d9f-1", "restartedAt"]) expect(text).not.toContain(secret);
  });

  test("the evaluator judges the stored classes with their counts", async () => {
    const data = await read({
      namespaces: [makeNamespace("payments")],
      policies: [makeDefaultDeny("payments")],
      pods: [pod("payments", "a", { app: "api" }), pod("payments", "b", { app: "api" }), pod("payments", "c", { app: "db" })],
    });
    const evaluation = evaluateCluster(
      { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c", name: "c", networkProfile: { networkPlugin: "azure", networkPolicy: "azure" } },
      data,
    );
    expect(evaluation.namespaces).toEqual([expect.objectContaining({ name: "payments", defaultDenyIngress: true, defaultDenyEgress: true })]);
  });
});

describe("Services (docs/migration.md)", () => {
  const service = (namespace: string, name: string, spec: Record<string, unknown>) => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" }, managedFields: [{ manager: "kubectl" }] },
    spec: { ports: [{ port: 443, targetPort: 8443 }], selector: { app: name }, clusterIP: "10.0.12.7", ...spec },
    status: { loadBalancer: { ingress: [{ ip: "20.50.1.4" }] } },
  });

  test("read page by page and kept as namespace, name, type and external traffic policy only", async () => {
    const data = await read(
      { namespaces: [makeNamespace("shop")], policies: [], services: [service("shop", "web", { type: "LoadBalancer", externalTrafficPolicy: "Cluster" }), service("shop", "api", {}), service("shop", "edge", { type: "NodePort", externalTrafficPolicy: "Local" })] },
      { pageSize: 2 },
    );
    expect(data.services).toEqual([
      { metadata: { namespace: "shop", name: "web" }, spec: { type: "LoadBalancer", externalTrafficPolicy: "Cluster" } },
      { metadata: { namespace: "shop", name: "api" }, spec: { type: "ClusterIP" } },
      { metadata: { namespace: "shop", name: "edge" }, spec: { type: "NodePort", externalTrafficPolicy: "Local" } },
    ]);
    expect(api!.requests.filter((request) => request.path === "/api/v1/services").length).toBe(2);
  });

  test("no RBAC to list Services leaves them unread (not the cluster); another failure fails the read", async () => {
    const forbidden = await read({ namespaces: [makeNamespace("shop")], policies: [makeDefaultDeny("shop")], services: [], resourceBehaviour: { services: "forbidden" } });
    expect(forbidden.services).toBeUndefined();
    expect(namesOf(forbidden.policies)).toEqual(["default-deny"]);
    await api?.close();
    api = undefined;
    await expect(read({ namespaces: [makeNamespace("shop")], policies: [], resourceBehaviour: { services: "malformed" } })).rejects.toThrow(/services/);
  });
});
