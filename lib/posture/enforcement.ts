// A leaf module: the decision and the statement index both name what an engine enforces.

/** Which families the cluster's engine enforces (§4.3). */
export interface Enforcement {
  kubernetes: boolean;
  cilium: boolean;
  calico: boolean;
}

/** Every kind judged as if enforced: `bulkhead analyze` without --engine. */
export const ENFORCE_ALL: Enforcement = Object.freeze({ kubernetes: true, cilium: true, calico: true });

/**
 * The families an engine enforces. Without an engine nothing is enforced, but the Kubernetes
 * NetworkPolicies are still judged as written for the "judged on the objects" columns (§4.4).
 */
export function enforcementOf(engine: string): Enforcement {
  switch (engine) {
    case "cilium":
      return { kubernetes: true, cilium: true, calico: false };
    case "calico":
      return { kubernetes: true, calico: true, cilium: false };
    default:
      return { kubernetes: true, cilium: false, calico: false };
  }
}
