/** The engines the migration burn-down counts, in the order the chart stacks them. */
export const ENGINE_GROUPS = ["npm", "cilium", "calico", "none", "other"] as const;
export type EngineGroup = (typeof ENGINE_GROUPS)[number];

export const ENGINE_LABELS: Record<EngineGroup, string> = { npm: "Azure NPM", cilium: "Cilium", calico: "Calico", none: "No engine", other: "Other" };

/** A snapshot's engine (docs/design.md §4.1) as the burn-down groups it. */
export function engineGroupOf(engine: string): EngineGroup {
  if (engine === "azure") return "npm";
  if (engine === "cilium" || engine === "calico" || engine === "none") return engine;
  return "other";
}
