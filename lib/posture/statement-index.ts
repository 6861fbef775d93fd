// The enforced statements of a cluster bucketed by the namespaces their subject names, and the
// ordered slots they belong to: what the decision (decision.ts) indexes per namespace. Filled object
// by object, so a caller that reads the objects one at a time (judge-cluster.ts) files each
// statement while it is still in the processor's cache, rather than in a second pass over them all.

import type { Enforcement } from "./decision";
import { DEFAULT_TIER } from "./read-calico-policy";
import type { NamespaceMatcher, PolicyFamily, PolicyReading, Statement } from "./statements";
import type { Direction } from "./types";

export interface Slot {
  key: string;
  kind: "union" | "ordered";
  order: number;
  name: string;
}

/** Which families the engine enforces (decision.ts re-exports it with enforcementOf). */
export function familyEnforced(enforcement: Enforcement, family: PolicyFamily): boolean {
  return family !== "admin" && enforcement[family];
}

const UNION_ORDER = 1000;
// Calico names a Kubernetes NetworkPolicy knp.default.<name> and sorts same-order policies by name.
const UNION_NAME = "knp.default.";
export const UNION_SLOT: Slot = Object.freeze({ key: "union", kind: "union", order: UNION_ORDER, name: UNION_NAME });

export class StatementIndex {
  /** Per direction, the statements whose subject names each namespace, in the order they were added. */
  readonly byNamespace: Readonly<Record<Direction, Map<string, Statement[]>>> = { ingress: new Map(), egress: new Map() };
  /** Statements whose subject selects namespaces by labels or spans them all. */
  readonly wide: Statement[] = [];
  /**
   * The same, keeping only statements whose pod selector may hold a namespace's stranger pod (§4.2):
   * an empty selector, one that cannot be read, or a Calico selector (which may ask about the
   * namespace). A Kubernetes or Cilium selector with entries never does, so the decision for a
   * stranger pod reads only these — a fraction of a large cluster's statements.
   */
  readonly strangerByNamespace: Readonly<Record<Direction, Map<string, Statement[]>>> = { ingress: new Map(), egress: new Map() };
  readonly strangerWide: Statement[] = [];
  /** Every slot met, by key, with its tier (the union slot of the default tier always). */
  readonly slots = new Map<string, { tier: string; slot: Slot }>();
  /** Whether statements came in ascending id order, so every bucket is in id (judging) order as filled. */
  idsAscending = true;
  private lastId = Number.NEGATIVE_INFINITY;
  private lastMatcher: NamespaceMatcher | null = null;
  private lastDirection: Direction | null = null;
  private lastBuckets: Statement[][] = [];
  private lastStrangerBuckets: Statement[][] = [];
  private readonly bucketsOf: Record<Direction, Map<NamespaceMatcher, { all: Statement[][]; stranger: Statement[][] }>> = { ingress: new Map(), egress: new Map() };

  constructor(readonly enforcement: Enforcement) {
    this.slots.set(UNION_SLOT.key, { tier: DEFAULT_TIER, slot: UNION_SLOT });
  }

  /** Files the statements of one object (nothing, when the engine does not enforce its family). */
  add(reading: PolicyReading): void {
    if (!familyEnforced(this.enforcement, reading.family)) return;
    // Indexed loops: this runs for every object, mostly before the optimiser steps in.
    for (let statementIndex = 0; statementIndex < reading.statements.length; statementIndex += 1) {
      const statement = reading.statements[statementIndex] as Statement;
      if (statement.id <= this.lastId) this.idsAscending = false;
      this.lastId = statement.id;
      // Bucketed by the namespaces the subject names, so one namespace's query reads only its own.
      const matcher = statement.subject.namespaces;
      const pods = statement.subject.pods;
      const mayHoldStranger = pods.kind === "malformed" || pods.selector.empty || pods.lookup === "calico";
      if (matcher.kind === "names") {
        // Statements of one object share their matcher: the buckets found last time are reused.
        if (matcher !== this.lastMatcher || statement.direction !== this.lastDirection) this.findBuckets(matcher, statement.direction);
        const buckets = this.lastBuckets;
        for (let bucket = 0; bucket < buckets.length; bucket += 1) (buckets[bucket] as Statement[]).push(statement);
        if (mayHoldStranger) {
          const strangerBuckets = this.lastStrangerBuckets;
          for (let bucket = 0; bucket < strangerBuckets.length; bucket += 1) (strangerBuckets[bucket] as Statement[]).push(statement);
        }
      } else {
        this.wide.push(statement);
        if (mayHoldStranger) this.strangerWide.push(statement);
      }
      if (statement.order !== null && !(statement.family === "cilium" && statement.action === "deny") && !this.slots.has(statement.slot)) {
        this.slots.set(statement.slot, { tier: statement.order.tier, slot: { key: statement.slot, kind: "ordered", order: statement.order.order, name: statement.order.name } });
      }
    }
  }

  private findBuckets(matcher: Extract<NamespaceMatcher, { kind: "names" }>, direction: Direction): void {
    this.lastMatcher = matcher;
    this.lastDirection = direction;
    const bucketsByMatcher = direction === "ingress" ? this.bucketsOf.ingress : this.bucketsOf.egress;
    let known = bucketsByMatcher.get(matcher);
    if (!known) {
      known = { all: [], stranger: [] };
      const buckets = direction === "ingress" ? this.byNamespace.ingress : this.byNamespace.egress;
      const strangerBuckets = direction === "ingress" ? this.strangerByNamespace.ingress : this.strangerByNamespace.egress;
      for (const name of matcher.names) {
        known.all.push(bucketOf(buckets, name));
        known.stranger.push(bucketOf(strangerBuckets, name));
      }
      bucketsByMatcher.set(matcher, known);
    }
    this.lastBuckets = known.all;
    this.lastStrangerBuckets = known.stranger;
  }
}

function bucketOf(buckets: Map<string, Statement[]>, name: string): Statement[] {
  let bucket = buckets.get(name);
  if (!bucket) {
    bucket = [];
    buckets.set(name, bucket);
  }
  return bucket;
}
