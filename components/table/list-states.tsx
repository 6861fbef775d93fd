import Link from "next/link";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";

/** A list table's place while its first page loads: a header bar and eight rows. */
export function TableSkeleton({ label, rowClassName }: { label: string; rowClassName: string }) {
  return (
    <div className="space-y-2 py-2" aria-hidden>
      <Skeleton className="h-8 w-full" label={label} />
      {Array.from({ length: 8 }, (_, index) => (
        <Skeleton key={index} className={rowClassName} label={label} />
      ))}
    </div>
  );
}

/** A list that could not load at all: the error with a retry, and a way out of a bad filter in the URL. */
export function ListLoadError({ error, onRetry, resetHref }: { error: unknown; onRetry: () => void; resetHref: string }) {
  return (
    <div className="mb-2 space-y-2">
      <ErrorState error={error} onRetry={onRetry} />
      <p className="text-sm">
        <Link href={resetHref} className="font-medium text-brand-700 underline">
          Reset all filters
        </Link>
      </p>
    </div>
  );
}
