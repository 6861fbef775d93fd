// readPolicies: a later object with the same kind, namespace and name replaces an earlier one, as
// `kubectl apply` would; the replacement takes the later place, and only it is judged.

import { describe, expect, test } from "vitest";

import { judgeManifests } from "./analyze-manifests";
import { PolicyModel } from "./decision";
import { readPolicies } from "./judge-cluster";
import { STRANGER_PORT } from "./statements";
import type { SortedObjects } from "./kube-objects";

function policy(name: string | undefined, namespace: string | undefined, marker: string): SortedObjects["policies"][number] {
  return {
    kind: "NetworkPolicy",
    object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace, labels: { marker } }, spec: { podSelector: {} } },
  };
}

function described(policies: SortedObjects["policies"]): string[] {
  return readPolicies(policies).map((reading) => {
    const marker = (reading.object as { metadata: { labels: { marker: string } } }).metadata.labels.marker;
    return `${reading.ref.kind} ${reading.ref.namespace}/${reading.ref.name} ${marker}`;
  });
}

describe("readPolicies", () => {
  test("a later object with the same kind, namespace and name replaces the earlier one, in the later place", () => {
    expect(described([policy("a", "shop", "1"), policy("b", "shop", "2"), policy("a", "shop", "3"), policy("a", "web", "4")])).toEqual([
      "NetworkPolicy shop/b 2",
      "NetworkPolicy shop/a 3",
      "NetworkPolicy web/a 4",
    ]);
  });

  test("a namespace left out is `default`; other kinds of the same name are kept; unnamed objects are all kept", () => {
    const calico: SortedObjects["policies"][number] = {
      kind: "CalicoNetworkPolicy",
      object: { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: { name: "a", namespace: "default", labels: { marker: "c" } }, spec: {} },
    };
    expect(described([policy("a", undefined, "1"), calico, policy("a", "default", "2"), policy(undefined, "shop", "3"), policy(undefined, "shop", "4")])).toEqual([
      "CalicoNetworkPolicy default/a c",
      "NetworkPolicy default/a 2",
      "NetworkPolicy shop/(unnamed) 3",
      "NetworkPolicy shop/(unnamed) 4",
    ]);
  });

  test("in a namespace of many objects, each repeated name replaces its earlier object", () => {
    const many = Array.from({ length: 80 }, (_, index) => policy(`p-${index % 50}`, "big", String(index)));
    const result = described(many);
    expect(result).toHaveLength(50);
    expect(result.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, index) => `NetworkPolicy big/p-${index + 30} ${index + 30}`));
    expect(result.slice(20)).toEqual(Array.from({ length: 30 }, (_, index) => `NetworkPolicy big/p-${index} ${index + 50}`));
    // A third copy replaces the second.
    expect(described([...many, policy("p-1", "big", "last")]).at(-1)).toBe("NetworkPolicy big/p-1 last");
    expect(described([...many, policy("p-1", "big", "last")])).toHaveLength(50);
  });
});

describe("the judgement of replaced objects", () => {
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };
  const denyAll = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "baseline", namespace: "shop" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
  const allowAll = { ...denyAll, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } };

  test("counts only the later object: what it allows, not what the replaced one denied", () => {
    // Statements are filed as objects are read; a replaced object's must not count.
    const replacedByAllow = judgeManifests([namespace, denyAll, allowAll]);
    expect(replacedByAllow.defaultDeny).toEqual([{ name: "shop", defaultDenyIngress: false, defaultDenyEgress: false }]);
    expect(replacedByAllow.allowAnyRules).toHaveLength(1);
    expect(replacedByAllow.model.statementsFor("shop", "egress")).toEqual([]);

    const replacedByDeny = judgeManifests([namespace, allowAll, denyAll]);
    expect(replacedByDeny.defaultDeny).toEqual([{ name: "shop", defaultDenyIngress: true, defaultDenyEgress: true }]);
    expect(replacedByDeny.allowAnyRules).toEqual([]);
  });

  test("a model given the index filed while reading answers as one that files the readings itself", () => {
    const objects = [namespace, denyAll, { ...allowAll, metadata: { name: "web", namespace: "shop" } }];
    const judged = judgeManifests(objects);
    const rebuilt = new PolicyModel(judged.readings, judged.model.knownNamespaces(), { enforcement: judged.model.enforcement, podCidrs: [] });
    for (const direction of ["ingress", "egress"] as const) {
      expect(judged.model.statementsFor("shop", direction).map((statement) => statement.id)).toEqual(rebuilt.statementsFor("shop", direction).map((statement) => statement.id));
      const outside = { kind: "outside", family: 4 } as const;
      expect(judged.model.decide({ namespace: "shop", labels: null }, direction, outside, "TCP", STRANGER_PORT, "risk")).toEqual(rebuilt.decide({ namespace: "shop", labels: null }, direction, outside, "TCP", STRANGER_PORT, "risk"));
    }
  });
});
