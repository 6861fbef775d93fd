import "server-only";
import type { Database } from "@/lib/db/client";
import { DAY_MS, getHistoryBounds, resolveAsOf } from "./as-of";
import type { ComplianceScope } from "./compliance-scope";
import { requireFramework } from "./get-compliance-view";
import { getRequirementTrend, type RequirementTrend } from "./get-requirement-trend";

/**
 * The requirement trend the Compliance page charts: `days` days ending on the as-of day, starting no
 * earlier than the first day of history (a chart of days before it would show gaps, not zeros).
 */
export async function getComplianceTrend(db: Database, query: { framework: string; day?: string; days: number; scope: ComplianceScope }): Promise<RequirementTrend> {
  const framework = requireFramework(query.framework, "framework");
  const history = await getHistoryBounds(db);
  if (!history.firstDay && !query.day) return { framework: framework.id, fromDay: "", toDay: "", series: framework.requirements.map((requirement) => ({ id: requirement.id, points: [] })) };
  const asOf = resolveAsOf({ day: query.day }, history, "asOf");
  const wanted = new Date(Date.parse(`${asOf.day}T00:00:00Z`) - (query.days - 1) * DAY_MS).toISOString().slice(0, 10);
  const fromDay = history.firstDay && history.firstDay > wanted ? history.firstDay : wanted;
  return getRequirementTrend(db, { framework, fromDay, toDay: asOf.day, scope: query.scope });
}
