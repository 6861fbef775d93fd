// The reachability matrix's figures and colour scale: what each cell says, which namespaces are drawn,
// and a few colour steps from pale to dark red, each with a text colour that keeps its figure readable
// (WCAG AA against its background), so a cell's colour only repeats what its number says. Pure and
// client-safe.
import type { ReachabilityView } from "@/lib/data/cluster-detail/reachability-view";

export interface ScaleStep {
  /** Shares from `min` (inclusive) up to the next step's min. */
  min: number;
  label: string;
  background: string;
  text: string;
}

/** A pair that reaches nothing at all. */
export const NO_CONNECTION: ScaleStep = { min: -1, label: "No connection", background: "#ffffff", text: "#64748b" };

/** A pair that reaches none of the running pods, only a new deployment of the target namespace. */
export const NEW_PODS_ONLY: ScaleStep = { min: 0, label: "0%: new pods only", background: "#f1f5f9", text: "#334155" };

export const SCALE_STEPS: readonly ScaleStep[] = [
  { min: 0.05, label: "under 25%", background: "#fef3c7", text: "#78350f" },
  { min: 25, label: "25–49%", background: "#fdba74", text: "#431407" },
  { min: 50, label: "50–74%", background: "#f97316", text: "#1c1917" },
  { min: 75, label: "75–99%", background: "#dc2626", text: "#ffffff" },
  { min: 100, label: "100%", background: "#7f1d1d", text: "#ffffff" },
];

/** The step of a cell: no pair at all, a pair reaching 0 running pods, or its share of the target's pods. */
export function scaleStep(share: number | null): ScaleStep {
  if (share === null) return NO_CONNECTION;
  if (share < SCALE_STEPS[0].min) return NEW_PODS_ONLY;
  let step = SCALE_STEPS[0];
  for (const candidate of SCALE_STEPS) if (share >= candidate.min) step = candidate;
  return step;
}

/** The figure a cell shows: whole percent, "<1" under one, "–" without a connection. */
export function cellText(share: number | null): string {
  if (share === null) return "–";
  if (share > 0 && share < 1) return "<1";
  return String(Math.floor(share));
}

/** More namespaces than this are narrowed to those with the most pods (the filter reaches the rest). */
export const MATRIX_LIMIT = 60;

export interface MatrixCell {
  from: string;
  to: string;
}

/** What one cell says: pods of `to` reached by some other pod of `from`, and their share; `pods` null without a connection. */
export interface CellFigure {
  pods: number | null;
  total: number;
  share: number | null;
}

/** Pairs by "from→to" position: a lookup per cell instead of a search. */
export function cellFigures(view: ReachabilityView): (from: number, to: number) => CellFigure {
  const byPair = new Map<number, number>();
  const width = view.namespaces.length;
  for (const [from, to, pods] of view.pairs) byPair.set(from * width + to, pods);
  return (from, to) => {
    const total = view.namespaces[to]?.pods ?? 0;
    const pods = byPair.get(from * width + to);
    if (pods === undefined) return { pods: null, total, share: null };
    return { pods, total, share: total === 0 ? 0 : (pods / total) * 100 };
  };
}

/** The namespaces drawn: those the filter matches, and of too many the ones with the most pods, in name order. */
export function matrixNamespaces(view: ReachabilityView, filter: string): { shown: number[]; matching: number } {
  const needle = filter.trim().toLowerCase();
  const matching = view.namespaces.map((namespace, index) => ({ namespace, index })).filter(({ namespace }) => needle === "" || namespace.name.includes(needle));
  const kept = matching.length <= MATRIX_LIMIT ? matching : [...matching].sort((a, b) => b.namespace.pods - a.namespace.pods || a.index - b.index).slice(0, MATRIX_LIMIT);
  return { shown: kept.map(({ index }) => index).sort((a, b) => a - b), matching: matching.length };
}

