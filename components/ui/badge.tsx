import { cn } from "@/lib/class-names";

export type BadgeTone = "ok" | "bad" | "warn" | "neutral" | "info" | "strong";

const TONES: Record<BadgeTone, string> = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-600/25",
  bad: "bg-red-50 text-red-800 ring-red-600/25",
  warn: "bg-amber-50 text-amber-900 ring-amber-600/30",
  neutral: "bg-slate-100 text-slate-700 ring-slate-500/20",
  info: "bg-sky-50 text-sky-900 ring-sky-600/25",
  strong: "bg-indigo-50 text-indigo-800 ring-indigo-600/25",
};

/** A short label with a tone; the text carries the meaning, the colour only repeats it. */
export function Badge({ tone = "neutral", className, children, title }: { tone?: BadgeTone; className?: string; children: React.ReactNode; title?: string }) {
  return (
    <span title={title} className={cn("inline-flex items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", TONES[tone], className)}>
      {children}
    </span>
  );
}
