"use client";

import { useMemo, useRef, useState } from "react";
import { cn } from "@/lib/class-names";
import type { ReachabilityView } from "@/lib/data/cluster-detail/reachability-view";
import { formatInteger } from "@/lib/format";
import { cellFigures, cellText, matrixNamespaces, NEW_PODS_ONLY, NO_CONNECTION, SCALE_STEPS, scaleStep, type CellFigure, type MatrixCell } from "./reachability-matrix-model";

/** From this many namespaces on, a filter box is offered. */
const FILTER_FROM = 12;

/** What a cell says in words, after its figure: the screen reader's name for it and its tooltip. */
function describeCell(from: string, to: string, figure: CellFigure): string {
  if (figure.pods === null) return `no connection from ${from} to ${to}`;
  if (figure.total === 0) return `percent: from ${from} to ${to}, which has no running pods; a new one would be reachable`;
  if (figure.pods === 0) return `percent: from ${from} to ${to}, none of its ${formatInteger(figure.total)} running pods, only new ones, reachable`;
  return `percent: from ${from} to ${to}, ${formatInteger(figure.pods)} of ${formatInteger(figure.total)} pods reachable`;
}

/** The legend: every step of the scale with its colour and its meaning. */
export function MatrixLegend() {
  const steps = [NO_CONNECTION, NEW_PODS_ONLY, ...SCALE_STEPS];
  return (
    <ul aria-label="Colour scale: share of the column namespace's pods reachable" className="flex flex-wrap items-center gap-x-3 gap-y-1.5 text-xs text-slate-700">
      {steps.map((step) => (
        <li key={step.label} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-4 w-6 rounded-sm border border-slate-300 [print-color-adjust:exact]" style={{ background: step.background }} />
          {step.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * The namespace × namespace matrix (rows: from, columns: to): each cell the share of the target's
 * pods that some pod of the source reaches, as a figure and a colour. One cell is in the tab order;
 * the arrow keys, Home and End move between cells, Enter or a click chooses one.
 */
export function ReachabilityMatrix({ view, selected, onSelect }: { view: ReachabilityView; selected: MatrixCell | null; onSelect: (cell: MatrixCell) => void }) {
  const [filter, setFilter] = useState("");
  const [focus, setFocus] = useState<{ row: number; column: number }>({ row: 0, column: 0 });
  const cells = useRef(new Map<string, HTMLButtonElement>());
  const figureOf = useMemo(() => cellFigures(view), [view]);
  const { shown, matching } = useMemo(() => matrixNamespaces(view, filter), [view, filter]);
  const row = Math.min(focus.row, Math.max(0, shown.length - 1));
  const column = Math.min(focus.column, Math.max(0, shown.length - 1));

  const move = (nextRow: number, nextColumn: number) => {
    const r = Math.max(0, Math.min(shown.length - 1, nextRow));
    const c = Math.max(0, Math.min(shown.length - 1, nextColumn));
    setFocus({ row: r, column: c });
    cells.current.get(`${r}:${c}`)?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent, r: number, c: number) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      Home: event.ctrlKey ? [0, 0] : [r, 0],
      End: event.ctrlKey ? [shown.length - 1, shown.length - 1] : [r, shown.length - 1],
    };
    const target = moves[event.key];
    if (!target) return;
    event.preventDefault();
    move(target[0], target[1]);
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <MatrixLegend />
        {view.namespaces.length >= FILTER_FROM ? (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            Filter namespaces
            <input
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              placeholder="name contains…"
              className="h-8 w-44 rounded-md border border-slate-300 px-2 text-sm"
            />
          </label>
        ) : null}
      </div>
      {matching > shown.length ? (
        <p className="text-xs text-slate-600" role="status">
          Showing the {formatInteger(shown.length)} namespaces with the most pods of {formatInteger(matching)}{filter ? " that match" : ""}; filter by name to see the others.
        </p>
      ) : null}
      {shown.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">No namespace name contains “{filter}”.</p>
      ) : (
        <div role="region" aria-label="Reachability matrix, scrollable" className="relative max-h-[70vh] overflow-auto rounded-lg border border-slate-200" data-testid="reachability-matrix">
          <table className="border-separate border-spacing-0 text-xs">
            <caption className="sr-only">
              Reachability between workload namespaces. Rows: the namespace a connection comes from. Columns: the namespace it goes to. Each cell: the percentage of the
              column namespace&apos;s pods that some pod of the row namespace can reach. Use the arrow keys to move between cells and Enter to explain one.
            </caption>
            <thead>
              <tr>
                <th scope="col" className="sticky left-0 top-0 z-30 border-b border-r border-slate-200 bg-white px-2 py-1 text-left align-bottom font-medium text-slate-600">
                  <span className="block">From ↓</span>
                  <span className="block">To →</span>
                </th>
                {shown.map((index) => {
                  const name = view.namespaces[index].name;
                  return (
                    <th key={name} scope="col" title={name} className="sticky top-0 z-20 border-b border-slate-200 bg-white px-0.5 pb-1 pt-2 align-bottom font-medium text-slate-700">
                      <span className="mx-auto block max-h-32 overflow-hidden text-ellipsis whitespace-nowrap font-mono [writing-mode:vertical-rl] rotate-180">{name}</span>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((fromIndex, r) => {
                const from = view.namespaces[fromIndex].name;
                return (
                  <tr key={from}>
                    <th scope="row" title={from} className="sticky left-0 z-10 max-w-[7rem] truncate border-r border-slate-200 bg-white px-2 py-0.5 text-left font-mono font-medium text-slate-800 sm:max-w-[12rem]">
                      {from}
                    </th>
                    {shown.map((toIndex, c) => {
                      const to = view.namespaces[toIndex].name;
                      const figure = figureOf(fromIndex, toIndex);
                      const step = scaleStep(figure.share);
                      const isSelected = selected?.from === from && selected.to === to;
                      return (
                        <td key={to} className="p-0.5">
                          <button
                            type="button"
                            ref={(element) => {
                              if (element) cells.current.set(`${r}:${c}`, element);
                              else cells.current.delete(`${r}:${c}`);
                            }}
                            tabIndex={r === row && c === column ? 0 : -1}
                            aria-pressed={isSelected}
                            title={`${cellText(figure.share)} ${describeCell(from, to, figure)}`}
                            onFocus={() => setFocus({ row: r, column: c })}
                            onKeyDown={(event) => onKeyDown(event, r, c)}
                            onClick={() => onSelect({ from, to })}
                            style={{ background: step.background, color: step.text }}
                            data-share={figure.share === null ? "none" : Math.floor(figure.share)}
                            className={cn(
                              "flex h-7 w-10 items-center justify-center rounded-sm border border-slate-200 font-semibold tabular-nums [print-color-adjust:exact]",
                              "focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700",
                              isSelected && "outline outline-2 outline-offset-1 outline-slate-900",
                            )}
                          >
                            {/* The figure is the start of the button's name, so what is seen is what is heard. */}
                            {cellText(figure.share)}
                            <span className="sr-only"> {describeCell(from, to, figure)}</span>
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
