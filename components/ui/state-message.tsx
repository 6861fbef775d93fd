import { ApiError } from "@/lib/api/fetch-json";
import { cn } from "@/lib/class-names";

/** Empty and error states: say what happened and what to do next. */
export function EmptyState({ title, children, className }: { title: string; children?: React.ReactNode; className?: string }) {
  return (
    <div className={cn("rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center", className)}>
      <p className="font-medium text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry, className }: { error: unknown; onRetry?: () => void; className?: string }) {
  const message = error instanceof ApiError ? error.message : "The data could not be loaded.";
  return (
    <div role="alert" className={cn("rounded-lg border border-red-200 bg-red-50 px-4 py-4 text-sm text-red-900", className)}>
      <p className="font-medium">Could not load this part of the page.</p>
      <p className="mt-1">{message}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry} className="mt-3 rounded-md border border-red-300 bg-white px-3 py-1 font-medium hover:bg-red-100">
          Try again
        </button>
      ) : null}
    </div>
  );
}
