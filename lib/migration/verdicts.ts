// A cluster's readiness for the move to Cilium, as the Migration page, its API and its CSV name it.
// Kept apart from the checks (readiness.ts) so the page's browser code takes these words alone.

/** blocked: a blocker; needs-work: warnings; incomplete: what was not read could not be checked; ready: nothing found. */
export type Verdict = "blocked" | "needs-work" | "incomplete" | "ready";

/** The verdicts, worst first (the order the Migration page's summary and filter list them in). */
export const VERDICTS = ["blocked", "needs-work", "incomplete", "ready"] as const satisfies readonly Verdict[];

export const VERDICT_LABELS: Record<Verdict, string> = { blocked: "Blocked", "needs-work": "Needs work", incomplete: "Not fully checked", ready: "Ready" };
