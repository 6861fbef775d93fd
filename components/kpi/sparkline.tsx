import { cn } from "@/lib/class-names";

/**
 * A small trend line in plain SVG: no JavaScript to run, scales with its box and prints as drawn.
 * Gaps (null) break the line. The numbers are given next to it in text.
 */
export function Sparkline({ values, className, stroke = "#334155" }: { values: (number | null)[]; className?: string; stroke?: string }) {
  const width = 200;
  const height = 40;
  const pad = 3;
  const present = values.filter((value): value is number => value !== null);
  if (present.length < 2) return <div aria-hidden className={cn("h-10 w-full", className)} />;
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const x = (index: number) => (values.length === 1 ? width / 2 : (index / (values.length - 1)) * width);
  // A flat series sits in the middle rather than on the floor.
  const y = (value: number) => (max === min ? height / 2 : pad + (1 - (value - min) / span) * (height - 2 * pad));

  const segments: string[] = [];
  let current = "";
  values.forEach((value, index) => {
    if (value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const lastIndex = values.findLastIndex((value) => value !== null);

  return (
    <div aria-hidden className={cn("relative h-10 w-full", className)}>
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="absolute inset-0 h-full w-full overflow-visible">
        {segments.map((d, index) => (
          <path key={index} d={d} fill="none" stroke={stroke} strokeWidth={1.75} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
      {/* The last point as a round dot: an SVG circle would stretch with the box. */}
      <span
        className="absolute h-1.5 w-1.5 -translate-x-1/2 -translate-y-1/2 rounded-full [print-color-adjust:exact]"
        style={{ left: `${(x(lastIndex) / width) * 100}%`, top: `${(y(values[lastIndex] as number) / height) * 100}%`, background: stroke }}
      />
    </div>
  );
}
