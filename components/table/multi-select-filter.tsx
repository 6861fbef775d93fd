"use client";

import { startTransition, useEffect, useId, useOptimistic, useRef, useState } from "react";
import { cn } from "@/lib/class-names";

export interface MultiSelectOption {
  value: string;
  label: string;
}

/**
 * A filter that takes several values ("Critical + High"): a button that names what is chosen and
 * opens a list of checkboxes, with presets for the usual combinations. The values go to the URL as
 * `a,b`; none chosen reports undefined, which drops the filter.
 */
export function MultiSelectFilter({
  id,
  label,
  allLabel,
  options,
  value,
  presets = [],
  onChange,
}: {
  id: string;
  label: string;
  /** What the button says when nothing is chosen. */
  allLabel: string;
  options: readonly MultiSelectOption[];
  value: readonly string[];
  presets?: readonly { label: string; values: readonly string[] }[];
  onChange: (values: string[] | undefined) => void;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  // The values live in the URL, which router.replace changes only once the server has answered for
  // the new one: until then the boxes show what was picked (a ticked box stays ticked at once, and a
  // second pick builds on the first), then whatever the URL says.
  const [shown, showPicked] = useOptimistic<readonly string[]>(value);
  const pick = (next: string[] | undefined) =>
    startTransition(() => {
      showPicked(next ?? []);
      onChange(next);
    });
  const chosen = options.filter((option) => shown.includes(option.value));
  const summary = chosen.length === 0 ? allLabel : chosen.length <= 2 ? chosen.map((option) => option.label).join(" + ") : `${chosen.length} chosen`;
  const toggle = (item: string, checked: boolean) => {
    const next = options.map((option) => option.value).filter((candidate) => (candidate === item ? checked : shown.includes(candidate)));
    pick(next.length ? next : undefined);
  };
  return (
    <div ref={root} className="relative">
      <span id={`${id}-label`} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </span>
      <button
        id={id}
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-labelledby={`${id}-label ${id}`}
        onClick={() => setOpen(!open)}
        className={cn(
          "flex h-9 w-full min-w-[10rem] items-center justify-between gap-2 rounded-md border border-slate-300 bg-white px-2.5 text-left text-sm text-slate-900 shadow-sm md:w-auto md:max-w-[16rem]",
          chosen.length > 0 && "border-slate-500 font-medium",
        )}
      >
        <span className="truncate">{summary}</span>
        <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4 shrink-0 text-slate-600" fill="none" stroke="currentColor" strokeWidth="1.75">
          <path d="m4 6 4 4 4-4" />
        </svg>
      </button>
      {open ? (
        <div id={panelId} className="absolute left-0 z-30 mt-1 w-72 rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
          <fieldset>
            <legend className="sr-only">{label}</legend>
            {presets.length > 0 ? (
              <div className="mb-2 flex flex-wrap gap-1.5 border-b border-slate-100 pb-2">
                {presets.map((preset) => (
                  <button
                    key={preset.label}
                    type="button"
                    className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100"
                    onClick={() => {
                      pick([...preset.values]);
                      setOpen(false);
                    }}
                  >
                    {preset.label}
                  </button>
                ))}
              </div>
            ) : null}
            <ul className="max-h-72 space-y-0.5 overflow-y-auto">
              {options.map((option) => (
                <li key={option.value}>
                  <label className="flex cursor-pointer items-start gap-2 rounded px-1.5 py-1 text-sm text-slate-800 hover:bg-slate-50">
                    <input type="checkbox" className="mt-0.5 h-4 w-4 accent-slate-900" checked={shown.includes(option.value)} onChange={(event) => toggle(option.value, event.target.checked)} />
                    {option.label}
                  </label>
                </li>
              ))}
            </ul>
            {chosen.length > 0 ? (
              <button type="button" className="mt-2 text-xs font-medium text-brand-700 hover:underline" onClick={() => pick(undefined)}>
                {allLabel}
              </button>
            ) : null}
          </fieldset>
        </div>
      ) : null}
    </div>
  );
}

/** `a,b` from the URL as a list. */
export const splitValues = (text: string | undefined): string[] => (text ? text.split(",").filter(Boolean) : []);
