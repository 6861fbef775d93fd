import { cn } from "@/lib/class-names";

export function Skeleton({ className, label = "Loading" }: { className?: string; label?: string }) {
  return <div role="status" aria-label={label} className={cn("animate-pulse rounded-md bg-slate-200/80", className)} />;
}
