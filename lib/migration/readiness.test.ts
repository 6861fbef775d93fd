import { describe, expect, test } from "vitest";
import { readClusterCase, readInClusterCase } from "@/testing/yaml-cases";
import { assessReadiness, type CheckId, type CheckStatus, type Verdict } from "./readiness";

const NPM_OVERLAY = "{ networkPlugin: azure, networkPluginMode: overlay, networkPolicy: azure, podCidr: 10.244.0.0/16, serviceCidr: 10.0.0.0/16 }";
const LINUX = "[{ name: system, count: 3, osType: Linux }]";

/** A cluster case with its Kubernetes version (the listing's `kubernetesVersion`). */
function cluster(networkProfile = NPM_OVERLAY, pools = LINUX, version = "1.32.3"): unknown {
  return { ...(readClusterCase(networkProfile, pools) as Record<string, unknown>), kubernetesVersion: version, resourceGroup: "rg-app" };
}

const BASE = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: default-deny, namespace: shop }
  spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
  ---
  apiVersion: v1
  kind: Service
  metadata: { name: web, namespace: shop }
  spec: { type: ClusterIP }
`;

const policy = (rule: string, direction: "ingress" | "egress" = "egress") => `
  ${BASE}
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: rule, namespace: shop }
  spec:
    podSelector: { matchLabels: { app: web } }
    ${direction}:
      - ${rule}
`;

const service = (spec: string) => `
  ${BASE}
  ---
  apiVersion: v1
  kind: Service
  metadata: { name: edge, namespace: shop }
  spec: ${spec}
`;

interface Case {
  name: string;
  cluster?: unknown;
  /** In-cluster objects as YAML; null: no in-cluster data. */
  objects: string | null;
  check: CheckId;
  status: CheckStatus;
  verdict: Verdict;
  evidence?: RegExp;
}

const CASES: Case[] = [
  { name: "overlay, Linux, 1.32, plain policies and a ClusterIP Service: ready", objects: BASE, check: "network-plugin", status: "ok", verdict: "ready" },
  { name: "kubenet: move to Azure CNI Overlay first", cluster: cluster("{ networkPlugin: kubenet, networkPolicy: azure }"), objects: BASE, check: "network-plugin", status: "blocker", verdict: "blocked", evidence: /kubenet/ },
  { name: "Azure CNI node subnet: move to overlay first", cluster: cluster("{ networkPlugin: azure, networkPolicy: azure }"), objects: BASE, check: "network-plugin", status: "blocker", verdict: "blocked", evidence: /node subnet/ },
  {
    name: "Azure CNI with a pod subnet: fine",
    cluster: cluster("{ networkPlugin: azure, networkPolicy: azure }", "[{ name: system, count: 3, osType: Linux, podSubnetId: /subscriptions/x/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/pods }]"),
    objects: BASE,
    check: "network-plugin",
    status: "ok",
    verdict: "ready",
  },
  { name: "a Windows node pool blocks (no Cilium on Windows)", cluster: cluster(NPM_OVERLAY, "[{ name: system, count: 3, osType: Linux }, { name: win22, count: 2, osType: Windows }]"), objects: BASE, check: "windows-pools", status: "blocker", verdict: "blocked", evidence: /win22/ },
  { name: "endPort on Kubernetes 1.31 (Cilium before 1.17) blocks", cluster: cluster(NPM_OVERLAY, LINUX, "1.31.7"), objects: policy("{ ports: [{ protocol: TCP, port: 8000, endPort: 8100 }] }"), check: "end-port", status: "blocker", verdict: "blocked", evidence: /shop\/rule egress\[0\]: port 8000–8100/ },
  { name: "endPort on Kubernetes 1.32 is enforced", objects: policy("{ ports: [{ protocol: TCP, port: 8000, endPort: 8100 }] }"), check: "end-port", status: "ok", verdict: "ready" },
  { name: "an ipBlock inside the pod CIDR means pods", objects: policy("{ to: [{ ipBlock: { cidr: 10.244.3.0/24 } }] }"), check: "ipblock-pods", status: "warning", verdict: "needs-work", evidence: /ipBlock 10\.244\.3\.0\/24 overlaps the pod CIDR/ },
  { name: "egress to a private range may be the nodes", objects: policy("{ to: [{ ipBlock: { cidr: 10.224.0.0/16 } }] }"), check: "ipblock-nodes", status: "warning", verdict: "needs-work", evidence: /10\.224\.0\.0\/16 .*node or VNet addresses.*egress/ },
  { name: "ingress from a private range may be the nodes", objects: policy("{ from: [{ ipBlock: { cidr: 192.168.10.0/24 } }] }", "ingress"), check: "ipblock-nodes", status: "warning", verdict: "needs-work", evidence: /ingress\[0\]: ipBlock 192\.168\.10\.0\/24/ },
  { name: "the world and public addresses are no node addresses", objects: policy("{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }, { ipBlock: { cidr: 20.50.1.0/24 } }] }"), check: "ipblock-nodes", status: "ok", verdict: "ready" },
  { name: "the service CIDR is not the nodes", objects: policy("{ to: [{ ipBlock: { cidr: 10.0.5.0/24 } }] }"), check: "ipblock-nodes", status: "ok", verdict: "ready" },
  { name: "a named port", objects: policy("{ ports: [{ protocol: TCP, port: http }] }"), check: "named-ports", status: "warning", verdict: "needs-work", evidence: /port "http"/ },
  { name: "a LoadBalancer Service with the default externalTrafficPolicy (Cluster)", objects: service("{ type: LoadBalancer }"), check: "external-traffic-policy", status: "warning", verdict: "needs-work", evidence: /shop\/edge: LoadBalancer/ },
  { name: "a NodePort Service with externalTrafficPolicy: Cluster", objects: service("{ type: NodePort, externalTrafficPolicy: Cluster }"), check: "external-traffic-policy", status: "warning", verdict: "needs-work", evidence: /NodePort/ },
  { name: "a LoadBalancer Service with externalTrafficPolicy: Local", objects: service("{ type: LoadBalancer, externalTrafficPolicy: Local }"), check: "external-traffic-policy", status: "ok", verdict: "ready" },
  {
    name: "Services not read: that check is unknown, the cluster incomplete",
    objects: `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: default-deny, namespace: shop }
      spec: { podSelector: {}, policyTypes: [Ingress] }
    `,
    check: "external-traffic-policy",
    status: "unknown",
    verdict: "incomplete",
  },
  { name: "no in-cluster data: the policy checks are unknown", objects: null, check: "named-ports", status: "unknown", verdict: "incomplete" },
  { name: "above NPM's 250 nodes", cluster: cluster(NPM_OVERLAY, "[{ name: system, count: 3, osType: Linux }, { name: big, count: 300, osType: Linux }]"), objects: BASE, check: "node-count", status: "warning", verdict: "needs-work", evidence: /303 nodes in 2 node pools/ },
];

describe("NPM → Cilium readiness (docs/migration.md)", () => {
  test.each(CASES)("$name", ({ cluster: listed, objects, check, status, verdict, evidence }) => {
    const readiness = assessReadiness(listed ?? cluster(), objects === null ? null : readInClusterCase(objects));
    const found = readiness.checks.find((item) => item.id === check)!;
    expect({ status: found.status, verdict: readiness.verdict }).toEqual({ status, verdict });
    if (evidence) expect(found.evidence.join("\n")).toMatch(evidence);
    if (status !== "ok") expect(found.advice.length).toBeGreaterThan(20);
  });

  test("deadline: 30 Sep 2026 with a Windows pool, 30 Sep 2028 without", () => {
    expect(assessReadiness(cluster(), null).deadline).toBe("2028-09-30");
    expect(assessReadiness(cluster(NPM_OVERLAY, "[{ name: win, count: 1, osType: Windows }]"), null).deadline).toBe("2026-09-30");
  });

  test("commands: what comes first (plugin, upgrade), then the dataplane update and checks; caveats name each finding", () => {
    const kubenet = assessReadiness(cluster("{ networkPlugin: kubenet, networkPolicy: azure }", LINUX, "1.30.1"), readInClusterCase(policy("{ ports: [{ protocol: TCP, port: 1, endPort: 9 }] }")));
    expect(kubenet.commands.slice(0, 3)).toEqual([
      "az aks update --resource-group rg-app --name aks-app --network-plugin azure --network-plugin-mode overlay --pod-cidr 192.168.0.0/16",
      "az aks upgrade --resource-group rg-app --name aks-app --kubernetes-version 1.32",
      "az aks update --resource-group rg-app --name aks-app --network-dataplane cilium",
    ]);
    expect(kubenet.caveats.some((caveat) => caveat.startsWith("Network plugin:"))).toBe(true);
    expect(kubenet.caveats.some((caveat) => caveat.startsWith("endPort port ranges:"))).toBe(true);
    const ready = assessReadiness(cluster(), readInClusterCase(BASE));
    expect(ready.commands[0]).toBe("az aks update --resource-group rg-app --name aks-app --network-dataplane cilium");
    expect(ready.caveats).toHaveLength(2);
  });
});
