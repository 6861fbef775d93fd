"use client";

import { useId } from "react";
import { cn } from "@/lib/class-names";

export interface SegmentedOption<Value extends string> {
  value: Value;
  label: string;
}

/**
 * A row of mutually exclusive choices: real radio buttons (arrow keys move between them, the
 * group has a name), drawn as a segmented control.
 */
export function SegmentedControl<Value extends string>({
  legend,
  options,
  value,
  onChange,
  className,
}: {
  legend: string;
  options: readonly SegmentedOption<Value>[];
  value: Value;
  onChange: (value: Value) => void;
  className?: string;
}) {
  const name = useId();
  return (
    <fieldset className={cn("min-w-0", className)}>
      <legend className="mb-1 text-xs font-medium text-slate-600">{legend}</legend>
      <div className="inline-flex flex-wrap rounded-lg border border-slate-300 bg-white p-0.5 shadow-sm">
        {options.map((option) => (
          <label key={option.value} className="relative">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              className="peer absolute inset-0 cursor-pointer opacity-0"
            />
            <span className="block cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 peer-checked:bg-slate-900 peer-checked:text-white peer-hover:bg-slate-100 peer-checked:peer-hover:bg-slate-800 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600">
              {option.label}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
