// Which days of an axis get a label, by arithmetic rather than by measuring labels in the DOM:
// the static chart (static-line-chart.tsx) and Recharts' day axis (chart-kit.tsx) share it.

/**
 * The days whose labels fit along a plot `plotWidth` pixels wide at `labelWidth` each (label and
 * gap): evenly spaced and always ending on the last day.
 */
export function dayLabelIndexes(count: number, plotWidth: number, labelWidth: number): number[] {
  if (count === 0) return [];
  const fit = Math.max(2, Math.floor(plotWidth / labelWidth));
  const every = Math.max(1, Math.ceil(count / fit));
  const picked: number[] = [];
  for (let index = count - 1; index >= 0; index -= every) picked.push(index);
  return picked.reverse();
}
