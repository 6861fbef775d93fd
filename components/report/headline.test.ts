import { expect, test } from "vitest";
import { KPIS } from "@/components/kpi/kpi-meta";
import { kpiGroup } from "@/testing/kpi-group";
import { buildHeadline } from "./headline";

const group = kpiGroup;

const at = "2026-11-07T00:00:00.000Z";

test("better figures, the largest change first, with the SLA breaches", () => {
  const headline = buildHeadline({ kpis: KPIS, now: group({ percentEnabled: 83.3, auditPassRate: 75.9 }), before: group({}), beforeAt: at, slaBreaches: 414, severeBreaches: 120 });
  expect(headline.verdict).toBe("improving");
  expect(headline.sentence).toBe(
    "Segmentation is improving: audit pass rate rose from 71.4% to 75.9% and clusters with a policy engine rose from 80.0% to 83.3% since 7 Nov 2026; 414 open findings are past their SLA (120 critical or high).",
  );
});

test("worse, mixed, steady and no history each say so", () => {
  expect(buildHeadline({ kpis: KPIS, now: group({ allowAnyRulesProduction: 14 }), before: group({}), beforeAt: at, slaBreaches: 0, severeBreaches: 0 }).sentence).toBe(
    "Segmentation is getting worse: allow-any rules in production rose from 10 to 14 since 7 Nov 2026; no open finding is past its SLA.",
  );
  const mixed = buildHeadline({ kpis: KPIS, now: group({ auditPassRate: 80, allowAnyRulesProduction: 12 }), before: group({}), beforeAt: at, slaBreaches: 1, severeBreaches: 1 });
  expect(mixed.verdict).toBe("mixed");
  expect(mixed.sentence).toMatch(/^Progress is mixed: audit pass rate rose from 71\.4% to 80\.0%, but allow-any rules in production rose from 10 to 12 since/);
  // Changes within rounding are no change.
  expect(buildHeadline({ kpis: KPIS, now: group({ auditPassRate: 71.7 }), before: group({}), beforeAt: at, slaBreaches: 0, severeBreaches: 0 }).verdict).toBe("steady");
  expect(buildHeadline({ kpis: KPIS, now: group({}), before: null, beforeAt: at, slaBreaches: 2, severeBreaches: 0 }).verdict).toBe("new");
});
