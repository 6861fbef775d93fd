// AdminNetworkPolicy, BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) and
// ClusterNetworkPolicy (v1alpha2): none of AKS's engines enforces them today (docs/design.md §4.3),
// so they are read to be listed and advised on, and yield no statement.

import { readObjectName, ReaderContext, type StatementIds } from "./policy-reader-kit";
import type { PolicyKind, PolicyReading } from "./statements";
import { asRecord } from "./untrusted-json";

export type AdminPolicyKind = Extract<PolicyKind, "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy">;

export function readAdminPolicy(object: unknown, kind: AdminPolicyKind, ids: StatementIds): PolicyReading {
  const { name } = readObjectName(object);
  const ref = { kind, namespace: null, name };
  const context = new ReaderContext(ref, ids);
  if (!asRecord(asRecord(object)?.spec)) context.problem("spec", "is missing or not an object");
  return { ref, family: "admin", scope: "cluster", statements: [], problems: context.problems, hostOnly: false, object: undefined };
}
