// The optimised reachability (atoms, subject groups, port classes, bit sets) against the plain
// definition of §4.5: every class pair on every candidate port through decide(), egress at the source
// and ingress at the target. Seeded random estates of every family, on every engine.

import { describe, expect, test } from "vitest";

import { DEFAULT_POSTURE_CONFIG } from "./config";
import { ENFORCE_ALL, enforcementOf, type Enforcement, type Peer, type PolicyModel } from "./decision";
import { judgeCluster } from "./judge-cluster";
import { sortKubeObjects } from "./kube-objects";
import type { CandidatePort, ReachClass, Reachability } from "./reachability";
import { Random } from "../sources/demo/random";

type Family = "kubernetes" | "cilium" | "calico" | "mixed";

/** A random estate: namespaces with labels, pods, and policies of `family`, small enough to brute-force. */
class EstateGenerator {
  private readonly generator: Random;
  readonly namespaces: string[];

  constructor(seed: number) {
    this.generator = new Random(seed);
    this.namespaces = Array.from({ length: 2 + this.int(4) }, (_, index) => `ns-${index}`);
  }

  private random(): number {
    return this.generator.next();
  }

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  private readonly apps = ["web", "api", "db"];
  private readonly tiers = ["front", "back"];
  private readonly ports = [53, 80, 443, 5432, 8080];

  objects(family: Family): unknown[] {
    const objects: unknown[] = this.namespaces.map((name, index) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: index % 2 === 0 ? { team: "blue" } : { team: "red", env: "prod" } },
    }));
    for (const namespace of this.namespaces) {
      const pods = this.int(4);
      for (let index = 0; index < pods; index += 1) {
        const labels: Record<string, string> = { app: this.pick(this.apps) };
        if (this.chance(0.5)) labels.tier = this.pick(this.tiers);
        objects.push({ apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${index}`, namespace, labels } });
      }
    }
    const count = 1 + this.int(6);
    for (let index = 0; index < count; index += 1) {
      const kind = family === "mixed" ? this.pick(["kubernetes", "cilium", "calico"] as const) : family;
      const namespace = this.pick(this.namespaces);
      if (kind === "kubernetes") objects.push(this.kubernetesPolicy(index, namespace));
      else if (kind === "cilium") objects.push(this.chance(0.25) ? this.ciliumPolicy(index, null) : this.ciliumPolicy(index, namespace));
      else objects.push(this.chance(0.25) ? this.calicoPolicy(index, null) : this.calicoPolicy(index, namespace));
    }
    return objects;
  }

  private labelSelector(): Record<string, unknown> {
    const roll = this.random();
    if (roll < 0.3) return {};
    if (roll < 0.6) return { matchLabels: { app: this.pick(this.apps) } };
    if (roll < 0.75) return { matchExpressions: [{ key: "tier", operator: this.pick(["In", "NotIn"]), values: [this.pick(this.tiers)] }] };
    if (roll < 0.9) return { matchExpressions: [{ key: "tier", operator: this.pick(["Exists", "DoesNotExist"]) }] };
    return { matchLabels: { app: this.pick(this.apps), tier: this.pick(this.tiers) } };
  }

  private namespaceSelector(): Record<string, unknown> {
    const roll = this.random();
    if (roll < 0.3) return {};
    if (roll < 0.7) return { matchLabels: { "kubernetes.io/metadata.name": this.pick(this.namespaces) } };
    return { matchLabels: { team: this.pick(["blue", "red"]) } };
  }

  private kubernetesPorts(): unknown[] | undefined {
    const roll = this.random();
    if (roll < 0.35) return undefined;
    if (roll < 0.5) return [{ protocol: "TCP", port: 8000, endPort: 8100 }];
    if (roll < 0.6) return [{ port: "http" }];
    if (roll < 0.65) return [{ protocol: "UDP" }];
    return [{ protocol: this.pick(["TCP", "TCP", "UDP"]), port: this.pick(this.ports) }];
  }

  private kubernetesPeer(): unknown {
    const roll = this.random();
    if (roll < 0.3) return { podSelector: this.labelSelector() };
    if (roll < 0.55) return { namespaceSelector: this.namespaceSelector(), podSelector: this.labelSelector() };
    if (roll < 0.65) return { namespaceSelector: this.namespaceSelector() };
    if (roll < 0.75) return { ipBlock: { cidr: "0.0.0.0/0", except: this.chance(0.5) ? ["169.254.169.254/32"] : undefined } };
    if (roll < 0.85) return { ipBlock: { cidr: this.pick(["10.244.0.0/16", "10.0.0.0/8", "fd00::/8", "::/0"]) } };
    if (roll < 0.9) return { ipBlock: { cidr: "not-a-cidr" } };
    return { ipBlock: { cidr: "10.0.0.0/8", except: ["10.244.0.0/16"] } };
  }

  private kubernetesRule(peersKey: "from" | "to"): unknown {
    const rule: Record<string, unknown> = {};
    if (this.chance(0.8)) rule[peersKey] = Array.from({ length: 1 + this.int(2) }, () => this.kubernetesPeer());
    const ports = this.kubernetesPorts();
    if (ports) rule.ports = ports;
    return rule;
  }

  private kubernetesPolicy(index: number, namespace: string): unknown {
    const types = this.pick([["Ingress"], ["Egress"], ["Ingress", "Egress"], undefined]);
    const spec: Record<string, unknown> = { podSelector: this.labelSelector() };
    if (types) spec.policyTypes = types;
    if (this.chance(0.7)) spec.ingress = Array.from({ length: this.int(3) }, () => this.kubernetesRule("from"));
    if (this.chance(0.7)) spec.egress = Array.from({ length: this.int(3) }, () => this.kubernetesRule("to"));
    return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: `np-${index}`, namespace }, spec };
  }

  private ciliumEndpoints(): unknown {
    const selector = { ...this.labelSelector() } as Record<string, unknown>;
    if (this.chance(0.3)) {
      const labels = { ...((selector.matchLabels as Record<string, string> | undefined) ?? {}) };
      labels["k8s:io.kubernetes.pod.namespace"] = this.pick(this.namespaces);
      selector.matchLabels = labels;
    }
    return selector;
  }

  private ciliumToPorts(): unknown[] | undefined {
    const roll = this.random();
    if (roll < 0.4) return undefined;
    if (roll < 0.5) return [{ ports: [{ port: "0", protocol: "ANY" }] }];
    return [{ ports: [{ port: String(this.pick(this.ports)), protocol: this.pick(["TCP", "UDP", "ANY"]) }] }];
  }

  private ciliumRule(direction: "ingress" | "egress"): unknown {
    const rule: Record<string, unknown> = {};
    const prefix = direction === "ingress" ? "from" : "to";
    const roll = this.random();
    if (roll < 0.4) rule[`${prefix}Endpoints`] = [this.ciliumEndpoints()];
    else if (roll < 0.6) rule[`${prefix}Entities`] = [this.pick(["world", "cluster", "all", "host"])];
    else if (roll < 0.75) rule[`${prefix}CIDR`] = [this.pick(["0.0.0.0/0", "169.254.169.254/32", "10.244.0.0/16"])];
    else if (roll < 0.85) rule[`${prefix}CIDRSet`] = [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }];
    const ports = this.ciliumToPorts();
    if (ports) rule.toPorts = ports;
    return rule;
  }

  private ciliumPolicy(index: number, namespace: string | null): unknown {
    const spec: Record<string, unknown> = { endpointSelector: namespace === null && this.chance(0.5) ? { matchExpressions: [{ key: "io.kubernetes.pod.namespace", operator: "NotIn", values: [this.pick(this.namespaces)] }] } : this.labelSelector() };
    for (const direction of ["ingress", "egress"] as const) {
      if (this.chance(0.6)) spec[direction] = Array.from({ length: this.int(3) }, () => this.ciliumRule(direction));
      if (this.chance(0.2)) spec[`${direction}Deny`] = [this.ciliumRule(direction)];
    }
    if (this.chance(0.15)) spec.enableDefaultDeny = { ingress: this.chance(0.5), egress: this.chance(0.5) };
    return namespace === null
      ? { apiVersion: "cilium.io/v2", kind: "CiliumClusterwideNetworkPolicy", metadata: { name: `ccnp-${index}` }, spec }
      : { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: `cnp-${index}`, namespace }, spec };
  }

  private calicoSelector(): string {
    return this.pick(["", "all()", `app == '${this.pick(this.apps)}'`, `tier != '${this.pick(this.tiers)}'`, "has(tier)", "!has(tier)", `app in {'web', 'db'}`, "projectcalico.org/namespace == 'ns-0'"]);
  }

  private calicoRule(): unknown {
    const rule: Record<string, unknown> = { action: this.pick(["Allow", "Allow", "Deny", "Pass", "Log"]) };
    if (this.chance(0.6)) rule.protocol = this.pick(["TCP", "UDP"]);
    const peer: Record<string, unknown> = {};
    const roll = this.random();
    if (roll < 0.35) peer.selector = this.calicoSelector();
    else if (roll < 0.55) peer.namespaceSelector = this.pick(["all()", `team == '${this.pick(["blue", "red"])}'`, `projectcalico.org/name == '${this.pick(this.namespaces)}'`]);
    else if (roll < 0.7) peer.nets = [this.pick(["0.0.0.0/0", "10.244.0.0/16", "169.254.169.254/32"])];
    else if (roll < 0.78) peer.notNets = ["10.0.0.0/8"];
    const destination: Record<string, unknown> = {};
    if (rule.protocol && this.chance(0.6)) destination.ports = [this.pick([...this.ports, "8000:8100"])];
    if (rule.protocol && this.chance(0.1)) destination.notPorts = [this.pick(this.ports)];
    const direction = this.chance(0.5) ? "ingress" : "egress";
    if (direction === "ingress") {
      rule.source = peer;
      rule.destination = destination;
    } else {
      rule.destination = { ...peer, ...destination };
    }
    return { direction, rule };
  }

  private calicoPolicy(index: number, namespace: string | null): unknown {
    const ingress: unknown[] = [];
    const egress: unknown[] = [];
    for (let rule = 0; rule < this.int(4); rule += 1) {
      const { direction, rule: value } = this.calicoRule() as { direction: string; rule: unknown };
      (direction === "ingress" ? ingress : egress).push(value);
    }
    const spec: Record<string, unknown> = { selector: this.calicoSelector(), ingress, egress };
    if (this.chance(0.7)) spec.order = this.pick([10, 100, 1000, 2000]);
    if (this.chance(0.5)) spec.types = this.pick([["Ingress"], ["Egress"], ["Ingress", "Egress"]]);
    if (namespace === null) {
      if (this.chance(0.5)) spec.namespaceSelector = `projectcalico.org/name != '${this.pick(this.namespaces)}'`;
      return { apiVersion: "projectcalico.org/v3", kind: "GlobalNetworkPolicy", metadata: { name: `gnp-${index}` }, spec };
    }
    return { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: { name: `cnp-${index}`, namespace }, spec };
  }
}

/** §4.5 as written: S reaches T when, on some candidate port, S's egress and T's ingress both admit it. */
function bruteForce(model: PolicyModel, classes: readonly ReachClass[], ports: readonly CandidatePort[]): boolean[][] {
  return classes.map((source) =>
    classes.map((target) =>
      ports.some(
        (port) =>
          model.decide(source, "egress", { kind: "pod", pod: target }, port.protocol, port.port, "risk").admitted &&
          model.decide(target, "ingress", { kind: "pod", pod: source }, port.protocol, port.port, "risk").admitted,
      ),
    ),
  );
}

const OUTSIDE: Peer[] = [
  { kind: "outside", family: 4 },
  { kind: "outside", family: 6 },
];
const IMDS: Peer = { kind: "address", address: { family: 4, value: (169n << 24n) | (254n << 16n) | (169n << 8n) | 254n } };

function compare(reachability: Reachability, model: PolicyModel): { pairs: number; reachable: number } {
  const { classes, ports } = reachability;
  const expected = bruteForce(model, classes, ports);
  let reachable = 0;
  let weighted = 0;
  classes.forEach((source, from) => {
    let reached = 0;
    classes.forEach((target, to) => {
      const brute = (expected[from] as boolean[])[to] as boolean;
      if (reachability.reaches(from, to) !== brute) {
        throw new Error(`class ${from} (${source.namespace} ${JSON.stringify(source.labels)}) → ${to} (${target.namespace} ${JSON.stringify(target.labels)}): optimised ${!brute}, decide ${brute}`);
      }
      if (brute) {
        reachable += 1;
        reached += target.count - (from === to && source.count > 0 ? 1 : 0);
      }
    });
    weighted += source.count * reached;
    const exposed = ports.some((port) => OUTSIDE.some((peer) => model.decide(source, "ingress", peer, port.protocol, port.port, "risk").admitted));
    expect(reachability.internetExposed(from), `internet exposure of class ${from}`).toBe(exposed);
    expect(reachability.reachesImds(from), `IMDS from class ${from}`).toBe(model.decide(source, "egress", IMDS, "TCP", 80, "risk").admitted);
    expect(reachability.document.classes[from]?.reachablePods).toBe(reached);
  });
  const pods = classes.reduce((sum, cls) => sum + cls.count, 0);
  const exposure = pods < 2 ? null : Math.round((weighted / (pods * (pods - 1))) * 1000) / 10;
  expect(reachability.document.exposure).toBe(exposure);
  return { pairs: classes.length ** 2, reachable };
}

const ENGINES: [string, Enforcement][] = [
  ["every kind", ENFORCE_ALL],
  ["cilium", enforcementOf("cilium")],
  ["calico", enforcementOf("calico")],
  ["azure", enforcementOf("azure")],
];

describe("optimised reachability agrees with decide() on every class pair and port", () => {
  for (const family of ["kubernetes", "cilium", "calico", "mixed"] as const) {
    test(`${family} estates, 30 seeds, every engine`, () => {
      let pairs = 0;
      let reachable = 0;
      for (let seed = 1; seed <= 30; seed += 1) {
        const generator = new EstateGenerator(seed * 7919 + family.length);
        const objects = generator.objects(family);
        for (const [name, enforcement] of ENGINES) {
          const judgement = judgeCluster(sortKubeObjects(objects), {
            config: DEFAULT_POSTURE_CONFIG,
            enforcement,
            podCidrs: seed % 3 === 0 ? [] : ["10.244.0.0/16"],
            localDns: "unknown",
            hasPodData: seed % 5 !== 0,
          });
          try {
            const counts = compare(judgement.reachability, judgement.model);
            pairs += counts.pairs;
            reachable += counts.reachable;
          } catch (error) {
            throw new Error(`${family} seed ${seed} on ${name}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
      // Both outcomes occur, so agreement is not trivial.
      expect(reachable).toBeGreaterThan(0);
      expect(reachable).toBeLessThan(pairs);
    });
  }
});
