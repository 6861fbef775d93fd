"use client";

import { SeverityBadge } from "@/components/findings/finding-badges";
import { useSlaSettingsQuery } from "@/hooks/use-settings-queries";
import { MAX_WAIVER_DAYS_AHEAD } from "@/lib/findings/finding-display";
import { CONTROLS } from "@/lib/posture/control-catalogue";

/**
 * The explainer's content: each control's severity and SLA as the admins have set it (the catalogue's
 * default until the settings arrive), and the rules for extensions and waivers in a few sentences.
 * Loaded when the explainer is first opened (components/findings/severity-sla-explainer.tsx).
 */
export function SeveritySlaTable() {
  const sla = useSlaSettingsQuery();
  const days = new Map((sla.data ?? []).map((setting) => [setting.controlId, setting.slaDays]));
  return (
    <>
      <p>
        Each control has a severity (how directly its failure opens a path for an attacker) and an SLA: the days a finding may stay open. A finding&apos;s{" "}
        <strong>SLA due date</strong> is the end of the UTC day its SLA runs out, counted from the day it opened, and it never moves.
      </p>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Severity and SLA of each control</caption>
        <thead>
          <tr className="border-b border-slate-200 text-xs text-slate-600">
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Control
            </th>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Severity
            </th>
            <th scope="col" className="py-1.5 text-right font-medium">
              SLA
            </th>
          </tr>
        </thead>
        <tbody>
          {CONTROLS.map((control) => (
            <tr key={control.id} className="border-b border-slate-100 last:border-0">
              <th scope="row" className="py-1.5 pr-3 font-normal text-slate-900">
                <span className="font-mono text-xs text-slate-600">{control.id}</span> {control.title}
              </th>
              <td className="py-1.5 pr-3">
                <SeverityBadge severity={control.severity} />
              </td>
              <td className="py-1.5 text-right tabular-nums">{days.get(control.id) ?? control.slaDays} days</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="list-disc space-y-1 pl-5">
        <li>
          A security manager can agree another due date. Moving it <strong>later</strong> needs a reason, and the trail keeps the old and the new date. The
          finding is then <em>Open</em> again until the new date, but an SLA breach stays a breach: the Overview and the report count it.
        </li>
        <li>
          Dates are days in UTC: &ldquo;through 27 Feb&rdquo; means until the end of 27 Feb. A finding is <em>Overdue</em> the day after its due date.
        </li>
        <li>
          A <em>waiver</em> accepts the risk for up to {MAX_WAIVER_DAYS_AHEAD} days, with a reason: the finding leaves the KPIs through its last day and counts
          again after.
        </li>
        <li>Admins set the SLA per control in Settings; a change applies to findings that open afterwards.</li>
      </ul>
    </>
  );
}
