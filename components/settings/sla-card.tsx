"use client";

import { useState } from "react";
import { SeverityBadge } from "@/components/findings/finding-badges";
import { Card, CardHeader } from "@/components/ui/card";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { FormError, FormSuccess, primaryButtonClass, secondaryButtonClass } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import { useSlaSettingsQuery, useUpdateSlaSettings } from "@/hooks/use-settings-queries";
import { cn } from "@/lib/class-names";
import { MAX_SLA_DAYS_SETTING, plural } from "@/lib/findings/finding-display";
import type { SlaSetting } from "@/lib/findings/finding-settings";
import { CONTROLS, getControl } from "@/lib/posture/control-catalogue";

function checkDays(text: string): string | null {
  if (!/^\d+$/.test(text.trim())) return "a whole number of days";
  const days = Number(text);
  return days < 1 || days > MAX_SLA_DAYS_SETTING ? `1 to ${MAX_SLA_DAYS_SETTING} days` : null;
}

function SlaForm({ settings }: { settings: SlaSetting[] }) {
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const mutation = useUpdateSlaSettings();
  const valueOf = (setting: SlaSetting) => edits[setting.controlId] ?? String(setting.slaDays);
  const changes = settings.filter((setting) => valueOf(setting).trim() !== String(setting.slaDays));
  const invalid = settings.filter((setting) => checkDays(valueOf(setting)) !== null);

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setDone(null);
        if (invalid.length > 0 || changes.length === 0) return;
        mutation.mutate(
          changes.map((setting) => ({ controlId: setting.controlId, slaDays: Number(valueOf(setting)) })),
          {
            onSuccess: () => {
              setEdits({});
              setDone(`Saved ${plural(changes.length, "SLA")}. Due dates and overdue counts follow at once; explicit due dates stay as set.`);
            },
          },
        );
      }}
    >
      <TableScrollRegion label="SLA per control">
        <Table caption="Days a finding may stay open before it is overdue, per control" className="min-w-[44rem]">
          <TableHeader>
            <tr>
              <TableHead>
                Control
              </TableHead>
              <TableHead>
                Severity
              </TableHead>
              <TableHead>
                SLA (days)
              </TableHead>
              <TableHead>
                Last changed by
              </TableHead>
            </tr>
          </TableHeader>
          <TableBody>
            {settings.map((setting) => {
              const value = valueOf(setting);
              const error = checkDays(value);
              const inputId = `sla-${setting.controlId}`;
              const hintId = `${inputId}-hint`;
              const isDefault = value.trim() === String(setting.defaultSlaDays);
              return (
                <TableRow key={setting.controlId} className="align-middle">
                  <TableCell>
                    <label htmlFor={inputId} className="text-slate-900">
                      <span className="font-mono text-xs text-slate-600">{setting.controlId}</span> {setting.title}
                    </label>
                  </TableCell>
                  <TableCell>
                    <SeverityBadge severity={getControl(setting.controlId).severity} />
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                      <input
                        id={inputId}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={MAX_SLA_DAYS_SETTING}
                        step={1}
                        value={value}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={hintId}
                        onChange={(event) => setEdits((current) => ({ ...current, [setting.controlId]: event.target.value }))}
                        className={cn(
                          "h-9 w-20 rounded-md border bg-white px-2 text-right text-sm tabular-nums text-slate-900 shadow-sm",
                          error ? "border-red-500" : value.trim() !== String(setting.slaDays) ? "border-brand-600 ring-1 ring-brand-600" : "border-slate-300",
                        )}
                      />
                      <span id={hintId} className={cn("text-xs", error ? "font-medium text-red-700" : "text-slate-600")}>
                        {error ? `Enter ${error}.` : `default ${setting.defaultSlaDays}`}
                      </span>
                      {!isDefault ? (
                        <button
                          type="button"
                          className="text-xs font-medium text-brand-700 underline-offset-2 hover:underline"
                          onClick={() => setEdits((current) => ({ ...current, [setting.controlId]: String(setting.defaultSlaDays) }))}
                        >
                          Use default<span className="sr-only"> for {setting.controlId}</span>
                        </button>
                      ) : null}
                    </div>
                  </TableCell>
                  <TableCell className="text-slate-700">
                    <span className="break-all">{setting.updatedBy ?? <span className="text-slate-600">– (default)</span>}</span>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableScrollRegion>
      <div className="mt-4 space-y-3">
        <FormError error={mutation.error} />
        {done ? <FormSuccess>{done}</FormSuccess> : null}
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className={primaryButtonClass} disabled={mutation.isPending || changes.length === 0 || invalid.length > 0}>
            {mutation.isPending ? "Saving…" : changes.length > 1 ? `Save ${changes.length} changes` : "Save SLA"}
          </button>
          {Object.keys(edits).length > 0 ? (
            <button type="button" className={secondaryButtonClass} disabled={mutation.isPending} onClick={() => setEdits({})}>
              Discard changes
            </button>
          ) : null}
          <p className="text-xs text-slate-600">{changes.length === 0 ? "No unsaved changes." : `${plural(changes.length, "unsaved change")}.`}</p>
        </div>
      </div>
    </form>
  );
}

/** The remediation SLA per control: how long a finding may stay open before it is overdue. */
export function SlaCard() {
  const query = useSlaSettingsQuery();
  return (
    <Card aria-labelledby="sla-title">
      <CardHeader
        id="sla-title"
        title="Remediation SLA per control"
        description="Days from the day a finding opens to its SLA due date (through the end of that UTC day). A change applies to findings that open afterwards: open findings keep the SLA due date they opened with, so a breach stays on record."
      />
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <div className="space-y-2" aria-hidden>
          {Array.from({ length: CONTROLS.length }, (_, index) => (
            <Skeleton key={index} className="h-10 w-full" label="Loading SLA settings" />
          ))}
        </div>
      ) : (
        <SlaForm settings={query.data} />
      )}
    </Card>
  );
}
