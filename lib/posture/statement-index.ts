// The enforced statements of a cluster bucketed by the namespaces their subject names, and the
// ordered slots they belong to: what the decision (decision.ts) indexes per namespace.
//
// Two sets of buckets. Those of the statements that may hold a namespace's stranger pod (§4.2) are
// filled object by object as the objects are read (judge-cluster.ts), while each statement is still
// in the processor's cache: judging a cluster asks the stranger pods first, and about a fourth of a
// large cluster's statements may hold one. The buckets of every statement, which only pods with
// known labels and some details need, are filled from the readings when first asked for.

import type { Enforcement } from "./enforcement";
import { DEFAULT_TIER } from "./read-calico-policy";
import type { NamespaceMatcher, PolicyFamily, PolicyReading, Statement } from "./statements";
import type { Direction } from "./direction";

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

/**
 * Whether a statement's pod selector may hold a namespace's stranger pod: an empty selector, one that
 * cannot be read, or a Calico selector (which may ask about the namespace). A Kubernetes or Cilium
 * selector with entries never does (§4.2).
 */
export function mayHoldStranger(statement: Statement): boolean {
  const pods = statement.subject.pods;
  return pods.kind === "malformed" || pods.selector.empty || pods.lookup === "calico";
}

/** Statements bucketed per direction by the namespaces their subject names, in the order filed. */
export class NamespaceBuckets {
  readonly byNamespace: Readonly<Record<Direction, Map<string, Statement[]>>> = { ingress: new Map(), egress: new Map() };
  /** Statements whose subject selects namespaces by labels or spans them all. */
  readonly wide: Statement[] = [];
  private lastMatcher: NamespaceMatcher | null = null;
  private lastDirection: Direction | null = null;
  private lastBuckets: Statement[][] = [];
  private readonly bucketsOf: Record<Direction, Map<NamespaceMatcher, Statement[][]>> = { ingress: new Map(), egress: new Map() };

  file(statement: Statement): void {
    const matcher = statement.subject.namespaces;
    if (matcher.kind !== "names") {
      this.wide.push(statement);
      return;
    }
    // Statements of one object share their matcher: the buckets found last time are reused.
    if (matcher !== this.lastMatcher || statement.direction !== this.lastDirection) this.findBuckets(matcher, statement.direction);
    const buckets = this.lastBuckets;
    for (let bucket = 0; bucket < buckets.length; bucket += 1) (buckets[bucket] as Statement[]).push(statement);
  }

  private findBuckets(matcher: Extract<NamespaceMatcher, { kind: "names" }>, direction: Direction): void {
    this.lastMatcher = matcher;
    this.lastDirection = direction;
    const bucketsByMatcher = direction === "ingress" ? this.bucketsOf.ingress : this.bucketsOf.egress;
    let known = bucketsByMatcher.get(matcher);
    if (!known) {
      known = [];
      const buckets = direction === "ingress" ? this.byNamespace.ingress : this.byNamespace.egress;
      for (const name of matcher.names) {
        let bucket = buckets.get(name);
        if (!bucket) {
          bucket = [];
          buckets.set(name, bucket);
        }
        known.push(bucket);
      }
      bucketsByMatcher.set(matcher, known);
    }
    this.lastBuckets = known;
  }
}

export class StatementIndex {
  /** The statements that may hold a namespace's stranger pod (mayHoldStranger). */
  readonly strangers = new NamespaceBuckets();
  /** Every slot met, by key, with its tier (the union slot of the default tier always). */
  readonly slots = new Map<string, { tier: string; slot: Slot }>();
  /** Whether statements came in ascending id order, so every bucket is in id (judging) order as filled. */
  idsAscending = true;
  private lastId = Number.NEGATIVE_INFINITY;

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
      if (mayHoldStranger(statement)) this.strangers.file(statement);
      if (statement.order !== null && !(statement.family === "cilium" && statement.action === "deny") && !this.slots.has(statement.slot)) {
        this.slots.set(statement.slot, { tier: statement.order.tier, slot: { key: statement.slot, kind: "ordered", order: statement.order.order, name: statement.order.name } });
      }
    }
  }

  /** The buckets of every enforced statement of `readings` (the readings this index was filled from). */
  static everyStatement(readings: readonly PolicyReading[], enforcement: Enforcement): NamespaceBuckets {
    const buckets = new NamespaceBuckets();
    for (let readingIndex = 0; readingIndex < readings.length; readingIndex += 1) {
      const reading = readings[readingIndex] as PolicyReading;
      if (!familyEnforced(enforcement, reading.family)) continue;
      for (let statementIndex = 0; statementIndex < reading.statements.length; statementIndex += 1) buckets.file(reading.statements[statementIndex] as Statement);
    }
    return buckets;
  }
}
