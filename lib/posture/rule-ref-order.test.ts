// sortRuleRefs: grouping by namespace first leaves exactly the order one stable sort by
// compareRuleRefs gives, ties included (what analyze prints must not depend on how it was sorted).

import { describe, expect, test } from "vitest";

import { compareRuleRefs, sortRuleRefs } from "./judge-cluster";
import { sortKubeObjects } from "./kube-objects";
import type { RuleRef } from "./types";

/** A small deterministic generator (mulberry32), so a failure names the same list every time. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

type TaggedRef = RuleRef & { tag: number };

function refs(count: number, seed: number): TaggedRef[] {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Few distinct values, so many references tie on every field and only their input order tells them apart.
  const namespaces = [null, "", "a", "B", "b", "ns-10", "ns-9", "é", "z"];
  return Array.from({ length: count }, (_, tag) => ({
    kind: pick(["NetworkPolicy", "CiliumNetworkPolicy", "CalicoNetworkPolicy"] as const),
    namespace: pick(namespaces),
    policy: pick(["p", "q", "P"]),
    list: pick(["ingress", "egress", "specs[0].egress"]),
    direction: pick(["ingress", "egress"] as const),
    index: Math.floor(random() * 3),
    tag,
  }));
}

describe("sortRuleRefs", () => {
  test.each([0, 1, 5, 63, 64, 65, 500, 5_000])("%i references come out in the order of one stable sort, ties in input order", (count) => {
    for (const seed of [1, 2, 3]) {
      const input = refs(count, seed + count);
      const expected = [...input].sort(compareRuleRefs).map((ref) => ref.tag);
      const copy = [...input];
      const sorted = sortRuleRefs(copy);
      expect(sorted).toBe(copy);
      expect(sorted.map((ref) => ref.tag)).toEqual(expected);
    }
  });

  test("null and empty namespaces sort together, before the named ones", () => {
    const input: TaggedRef[] = refs(200, 7);
    const sorted = sortRuleRefs([...input]);
    const firstNamed = sorted.findIndex((ref) => ref.namespace !== null && ref.namespace !== "");
    expect(sorted.slice(0, firstNamed).every((ref) => ref.namespace === null || ref.namespace === "")).toBe(true);
    expect(sorted.slice(firstNamed).every((ref) => ref.namespace !== null && ref.namespace !== "")).toBe(true);
  });
});

describe("sortKubeObjects", () => {
  const policy = (name: string) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: "shop" }, spec: {} });
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };

  test("flat input is read as it is, in order", () => {
    const objects = [policy("a"), namespace, policy("b")];
    const sorted = sortKubeObjects(objects);
    expect(sorted.policies.map((entry) => entry.object)).toEqual([objects[0], objects[2]]);
    expect(sorted.policies[0]?.object).toBe(objects[0]);
    expect(sorted.namespaces).toEqual([{ name: "shop", labels: {} }]);
  });

  test("a list anywhere in the input is flattened, typed list items taking the list's kind", () => {
    const items = [{ metadata: { name: "c", namespace: "shop" }, spec: {} }];
    const sorted = sortKubeObjects([policy("a"), { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicyList", items }, [policy("b")]]);
    expect(sorted.policies.map((entry) => (entry.object as { metadata: { name: string } }).metadata.name)).toEqual(["a", "c", "b"]);
    expect(sorted.policies.map((entry) => entry.kind)).toEqual(["NetworkPolicy", "NetworkPolicy", "NetworkPolicy"]);
  });
});
