// The manifests people copy (testing/fixtures/real-world, with their sources and licences in its
// README), judged as a careful reader would: which namespaces deny by default, which rules admit
// peers nobody planned for.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, test } from "vitest";

import { allowAnyOf, judgeYaml, type CaseEngine } from "../../testing/posture-cases";
import { parseManifestText } from "../manifests/read-manifests";
import { judgeManifests } from "./analyze-manifests";
import { DEFAULT_POSTURE_CONFIG } from "./config";
import { enforcementOf } from "./decision";
import { judgeCluster } from "./judge-cluster";
import { sortKubeObjects } from "./kube-objects";

const ROOT = fileURLToPath(new URL("../../testing/fixtures/real-world/", import.meta.url));

function read(...files: string[]): unknown[] {
  return files.flatMap((file) => parseManifestText(readFileSync(`${ROOT}${file}`, "utf8"), file));
}

interface RealWorldCase {
  name: string;
  files: string[];
  engine: CaseEngine;
  localDns?: boolean;
  /** namespace → [default deny ingress, default deny egress, DNS reachable] */
  namespaces: Record<string, [boolean, boolean, boolean]>;
  allowAny?: string[];
}

function check(row: RealWorldCase): void {
  const objects = read(...row.files);
  const judgement =
    row.engine === "all"
      ? judgeManifests(objects)
      : judgeCluster(sortKubeObjects(objects), { config: DEFAULT_POSTURE_CONFIG, enforcement: enforcementOf(row.engine), podCidrs: [], localDns: row.localDns ?? false });
  expect(Object.fromEntries(judgement.namespaces.map((namespace) => [namespace.name, [namespace.defaultDenyIngress, namespace.defaultDenyEgress, namespace.allowsDns]]))).toEqual(row.namespaces);
  expect(allowAnyOf(judgement)).toEqual(row.allowAny ?? []);
}

describe("the Kubernetes documentation's NetworkPolicy examples (Azure NPM)", () => {
  const rows: RealWorldCase[] = [
    {
      name: "test-network-policy isolates role=db pods only: no default deny for the namespace, no allow-any rule",
      files: ["kubernetes-docs/networkpolicy.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
    },
    {
      name: "default-deny-all (flow-style YAML, no namespace) denies both ways in default, DNS included",
      files: ["kubernetes-docs/network-policy-default-deny-all.yaml"],
      engine: "azure",
      namespaces: { default: [true, true, false] },
    },
    {
      name: "default-deny-egress denies egress only",
      files: ["kubernetes-docs/network-policy-default-deny-egress.yaml"],
      engine: "azure",
      namespaces: { default: [false, true, false] },
    },
    {
      name: "allow-all-ingress is the textbook allow-any rule",
      files: ["kubernetes-docs/network-policy-allow-all-ingress.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
      allowAny: ["default/allow-all-ingress ingress[0] A"],
    },
    {
      name: "allow-egress-deny-ingress: ingress denied, egress open by an allow-any rule",
      files: ["kubernetes-docs/network-policy-allow-all-egress-deny-all-ingress.yaml"],
      engine: "azure",
      namespaces: { default: [true, false, true] },
      allowAny: ["default/allow-egress-deny-ingress egress[0] A"],
    },
    {
      name: "multi-port-egress: a 32000–32768 range to 10.0.0.0/24 for db pods is narrow",
      files: ["kubernetes-docs/networkpolicy-multiport-egress.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
    },
    {
      name: "default-deny-all applied beside allow-all-ingress: no default deny for ingress (v1 passed this)",
      files: ["kubernetes-docs/network-policy-default-deny-all.yaml", "kubernetes-docs/network-policy-allow-all-ingress.yaml"],
      engine: "azure",
      namespaces: { default: [false, true, false] },
      allowAny: ["default/allow-all-ingress ingress[0] A"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("kubernetes-network-policy-recipes", () => {
  const rows: RealWorldCase[] = [
    { name: "01 web-deny-all isolates app=web only", files: ["network-policy-recipes/01-web-deny-all.yaml"], engine: "azure", namespaces: { default: [false, false, true] } },
    {
      name: "02a web-allow-all admits everyone to app=web: allow-any class A",
      files: ["network-policy-recipes/01-web-deny-all.yaml", "network-policy-recipes/02a-web-allow-all.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
      allowAny: ["default/web-allow-all ingress[0] A"],
    },
    { name: "03 default-deny-all is a default deny for ingress", files: ["network-policy-recipes/03-default-deny-all.yaml"], engine: "azure", namespaces: { default: [true, false, true] } },
    {
      name: "04 deny-from-other-namespaces (an empty matchLabels) admits only its own namespace: a default deny for ingress",
      files: ["network-policy-recipes/04-deny-from-other-namespaces.yaml"],
      engine: "azure",
      namespaces: { default: [true, false, true] },
    },
    {
      name: "05 web-allow-all-namespaces admits every pod of every namespace: class C",
      files: ["network-policy-recipes/05-web-allow-all-namespaces.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
      allowAny: ["default/web-allow-all-namespaces ingress[0] C"],
    },
    {
      name: "03 and 12 together deny both ways; DNS is then blocked",
      files: ["network-policy-recipes/03-default-deny-all.yaml", "network-policy-recipes/12-default-deny-all-egress.yaml"],
      engine: "azure",
      namespaces: { default: [true, true, false] },
    },
    {
      name: "11 foo-deny-egress with its DNS allow isolates app=foo only",
      files: ["network-policy-recipes/11-foo-deny-egress-allow-dns.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
    },
    {
      name: "03, 12 and a namespace-wide copy of 11's DNS rule: segmented with DNS",
      files: ["network-policy-recipes/03-default-deny-all.yaml", "network-policy-recipes/12-default-deny-all-egress.yaml"],
      engine: "azure",
      namespaces: { default: [true, true, true] },
    },
  ];
  // The last row adds 11's DNS rule for every pod, the way teams adapt the recipe.
  const adapted = rows.pop() as RealWorldCase;
  test.each(rows)("$name", check);
  test(adapted.name, () => {
    const dns = readFileSync(`${ROOT}network-policy-recipes/11-foo-deny-egress-allow-dns.yaml`, "utf8").replace("matchLabels:\n      app: foo", "{}").replace("name: foo-deny-egress", "name: allow-dns");
    const judgement = judgeYaml(
      [readFileSync(`${ROOT}network-policy-recipes/03-default-deny-all.yaml`, "utf8"), readFileSync(`${ROOT}network-policy-recipes/12-default-deny-all-egress.yaml`, "utf8"), dns].join("---\n"),
      { engine: "azure", localDns: false },
    );
    expect(judgement.namespaces.map((namespace) => [namespace.name, namespace.defaultDenyIngress, namespace.defaultDenyEgress, namespace.allowsDns])).toEqual([["default", true, true, true]]);
  });
});

describe("Cilium's documented policies (Cilium)", () => {
  const rows: RealWorldCase[] = [
    { name: "deny-all-egress (`egress: [{}]`) isolates role=restricted only", files: ["cilium/egress-default-deny.yaml"], engine: "cilium", namespaces: { default: [false, false, true] } },
    {
      name: "external-lockdown denies the world but allows all else: the inside stranger gets in, class A reported",
      files: ["cilium/from-world-deny.yaml", "aks/demo-policy.yaml"],
      engine: "cilium",
      namespaces: { demo: [false, false, true] },
      allowAny: ["CiliumClusterwideNetworkPolicy external-lockdown ingress[0] A"],
    },
    { name: "allow-all-to-victim (fromEndpoints [{}]) stays in its namespace", files: ["cilium/ingress-allow-all.yaml"], engine: "cilium", namespaces: { default: [false, false, true] } },
    {
      name: "deny-egress-example: toEntities all is class A even beside its egressDeny",
      files: ["cilium/egress-deny.yaml"],
      engine: "cilium",
      namespaces: { default: [false, false, true] },
      allowAny: ["CiliumNetworkPolicy default/deny-egress-example egress[0] A"],
    },
    { name: "to-fqdn names one host and kube-dns for app=test-app", files: ["cilium/fqdn.yaml"], engine: "cilium", namespaces: { default: [false, false, true] } },
    { name: "on Azure NPM none of them is enforced", files: ["cilium/from-world-deny.yaml", "cilium/egress-deny.yaml"], engine: "azure", namespaces: { default: [false, false, true] } },
  ];
  test.each(rows)("$name", check);
});

describe("Calico's documented default deny (Calico)", () => {
  const rows: RealWorldCase[] = [
    {
      // A Calico policy without rules decides nothing: the next policy's DNS allow still applies.
      name: "deny-app-policy beside engineering's own default deny: both ways denied, DNS still allowed",
      files: ["calico/deny-app-policy.yaml", "calico/default-deny-engineering.yaml"],
      engine: "calico",
      namespaces: { engineering: [true, true, true] },
    },
    {
      name: "deny-app-policy alone leaves DNS open for the namespace",
      files: ["calico/deny-app-policy.yaml", "aks/demo-policy.yaml"],
      engine: "calico",
      namespaces: { demo: [true, true, true] },
    },
    {
      name: "default-deny with all() also isolates kube-dns: DNS is refused at kube-dns",
      files: ["calico/default-deny-global.yaml", "aks/demo-policy.yaml"],
      engine: "calico",
      namespaces: { demo: [true, true, false] },
    },
    { name: "the namespaced default deny of engineering", files: ["calico/default-deny-engineering.yaml"], engine: "calico", namespaces: { engineering: [true, true, false] } },
    { name: "on Cilium the Calico default deny is not enforced", files: ["calico/default-deny-engineering.yaml"], engine: "cilium", namespaces: { engineering: [false, false, true] } },
  ];
  test.each(rows)("$name", check);
});

describe("AKS documentation examples", () => {
  const rows: RealWorldCase[] = [
    { name: "demo-policy isolates the server pods only", files: ["aks/demo-policy.yaml"], engine: "azure", namespaces: { demo: [false, false, true] } },
    {
      name: "allow-azure-dns-egress on a LocalDNS cluster: egress denied but DNS through LocalDNS",
      files: ["aks/allow-azure-dns-egress.yaml"],
      engine: "cilium",
      localDns: true,
      namespaces: { default: [false, true, true] },
    },
    {
      name: "allow-azure-dns-egress without LocalDNS: no DNS (kube-dns is not allowed)",
      files: ["aks/allow-azure-dns-egress.yaml"],
      engine: "cilium",
      localDns: false,
      namespaces: { default: [false, true, false] },
    },
    {
      name: "the NPM migration guide's example-ipblock: 0.0.0.0/0 for every pod, class B",
      files: ["aks/npm-migration-example-ipblock.yaml"],
      engine: "azure",
      namespaces: { default: [false, false, true] },
      allowAny: ["default/example-ipblock egress[0] B"],
    },
    {
      name: "the same on Cilium: DNS is not reached through an ipBlock",
      files: ["aks/npm-migration-example-ipblock.yaml"],
      engine: "cilium",
      namespaces: { default: [false, false, false] },
      allowAny: ["default/example-ipblock egress[0] B"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("the issue's findings", () => {
  const rows: RealWorldCase[] = [
    {
      name: "typed NamespaceList and NetworkPolicyList: six unprotected namespaces, not zero",
      files: ["issue-findings/typed-lists.json", "issue-findings/typed-lists-policies.json"],
      engine: "all",
      namespaces: {
        catalog: [false, false, true],
        checkout: [false, false, true],
        payments: [false, false, true],
        search: [false, false, true],
        shipping: [false, false, true],
        users: [false, false, true],
      },
    },
    {
      name: "Deployments without policies: their namespaces are workload namespaces without default deny",
      files: ["issue-findings/deployments.yaml"],
      engine: "all",
      namespaces: { default: [false, false, true], shop: [false, false, true] },
    },
    {
      name: "a default deny without DNS: DNS blocked (analyze --fix adds the allow)",
      files: ["issue-findings/deny-egress-without-dns.yaml"],
      engine: "all",
      namespaces: { billing: [true, true, false] },
    },
    {
      name: "an endPort range covering every port counts as any port",
      files: ["issue-findings/endport-any-port.yaml"],
      engine: "all",
      namespaces: { metrics: [false, false, true] },
      allowAny: ["metrics/any-port ingress[0] A"],
    },
  ];
  test.each(rows)("$name", check);
});
