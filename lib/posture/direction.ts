// The direction of a rule or a connection, from the side of the pod it protects. A leaf module:
// the statement readers, the decision and reachability import it without importing the public types.
export type Direction = "ingress" | "egress";
