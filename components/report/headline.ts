// The board report's headline: one sentence that says whether the organisation is improving and
// why, computed from the KPIs now and a month earlier. Client-safe and pure.
import type { KpiMeta } from "@/components/kpi/kpi-meta";
import type { KpiGroup } from "@/lib/kpi/get-kpis";
import { formatDate } from "@/lib/format";

/** Changes smaller than this are "no change": rounding noise, not progress. */
// Amounts are left out of the sentence: they move with the estate's size and its prices; the pass
// rate by spend says whether the money is better protected.
const NOISE: Record<KpiMeta["unit"], number> = { percent: 0.5, hours: 12, count: 0, money: Number.POSITIVE_INFINITY };
/** How a change is weighed against the others: points, half days, rules. */
const SCALE: Record<KpiMeta["unit"], number> = { percent: 1, hours: 24, count: 1, money: 1 };

export interface KpiMovement {
  kpi: KpiMeta;
  before: number;
  now: number;
  better: boolean;
}

export function kpiMovements(kpis: readonly KpiMeta[], now: KpiGroup, before: KpiGroup | null): KpiMovement[] {
  if (!before || before.clusters === 0) return [];
  const moves: KpiMovement[] = [];
  for (const kpi of kpis) {
    const a = before[kpi.id];
    const b = now[kpi.id];
    if (a === null || b === null || Math.abs(b - a) <= NOISE[kpi.unit]) continue;
    moves.push({ kpi, before: a, now: b, better: kpi.better === "higher" ? b > a : b < a });
  }
  return moves.sort((x, y) => Math.abs(y.now - y.before) / SCALE[y.kpi.unit] - Math.abs(x.now - x.before) / SCALE[x.kpi.unit]);
}

function phrase(move: KpiMovement): string {
  const name = move.kpi.title.charAt(0).toLowerCase() + move.kpi.title.slice(1);
  const verb = move.now > move.before ? "rose" : "fell";
  const format = (value: number) => (move.kpi.unit === "percent" ? `${value.toFixed(1)}%` : move.kpi.unit === "hours" ? `${(value / 24).toFixed(1)} days` : String(value));
  return `${name} ${verb} from ${format(move.before)} to ${format(move.now)}`;
}

/**
 * "Segmentation is improving: the audit pass rate rose from 53.9% to 55.9% and … since 7 Nov 2026;
 * 414 open findings are past their SLA (120 critical or high)."
 */
export function buildHeadline(input: {
  kpis: readonly KpiMeta[];
  now: KpiGroup;
  before: KpiGroup | null;
  beforeAt: string;
  slaBreaches: number;
  severeBreaches: number;
}): { verdict: "improving" | "worse" | "mixed" | "steady" | "new"; sentence: string } {
  const breaches =
    input.slaBreaches === 0
      ? "no open finding is past its SLA."
      : `${input.slaBreaches.toLocaleString("en-US")} open finding${input.slaBreaches === 1 ? " is" : "s are"} past their SLA (${input.severeBreaches.toLocaleString("en-US")} critical or high).`;
  if (!input.before || input.before.clusters === 0) {
    return { verdict: "new", sentence: `There is no history a month back to compare with yet; ${breaches}` };
  }
  const moves = kpiMovements(input.kpis, input.now, input.before);
  const better = moves.filter((move) => move.better);
  const worse = moves.filter((move) => !move.better);
  const since = `since ${formatDate(input.beforeAt)}`;
  if (moves.length === 0) return { verdict: "steady", sentence: `Segmentation is holding steady: no KPI moved beyond rounding ${since}; ${breaches}` };
  const lead = (list: KpiMovement[]) => list.slice(0, 2).map(phrase).join(" and ");
  if (worse.length === 0) return { verdict: "improving", sentence: `Segmentation is improving: ${lead(better)} ${since}; ${breaches}` };
  if (better.length === 0) return { verdict: "worse", sentence: `Segmentation is getting worse: ${lead(worse)} ${since}; ${breaches}` };
  const verdict = better.length > worse.length ? "improving" : better.length < worse.length ? "worse" : "mixed";
  const opening = verdict === "improving" ? "Segmentation is improving on balance" : verdict === "worse" ? "Segmentation is getting worse on balance" : "Progress is mixed";
  return { verdict, sentence: `${opening}: ${phrase(better[0])}, but ${phrase(worse[0])} ${since}; ${breaches}` };
}
