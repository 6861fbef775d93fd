import { cn } from "@/lib/class-names";

/** A placeholder while data loads. `data-skeleton` marks it for the page benchmark (scripts/bench/bench-pages.ts): a page's content is complete when none is left. */
export function Skeleton({ className, label = "Loading" }: { className?: string; label?: string }) {
  return <div role="status" aria-label={label} data-skeleton="" className={cn("animate-pulse rounded-md bg-slate-200/80", className)} />;
}
