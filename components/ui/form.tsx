import { ApiError } from "@/lib/api/fetch-json";
import { cn } from "@/lib/class-names";

export const inputClass =
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 aria-[invalid=true]:border-red-500 disabled:bg-slate-50 disabled:text-slate-500";

export const textareaClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 aria-[invalid=true]:border-red-500";

export const selectClass = "h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm disabled:opacity-60";

const buttonBase =
  "inline-flex h-9 items-center justify-center gap-1.5 whitespace-nowrap rounded-md px-3.5 text-sm font-medium shadow-sm transition-colors disabled:cursor-not-allowed disabled:opacity-60";

export const primaryButtonClass = cn(buttonBase, "bg-slate-900 text-white hover:bg-slate-700");
export const secondaryButtonClass = cn(buttonBase, "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50");
export const dangerButtonClass = cn(buttonBase, "border border-red-300 bg-white text-red-800 hover:bg-red-50");

export function FieldLabel({ htmlFor, children, hint }: { htmlFor: string; children: React.ReactNode; hint?: React.ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="mb-1 block text-sm font-medium text-slate-800">
      {children}
      {/* A space, not only a margin: the hint is part of the accessible name ("Assign to (e-mail or team)"). */}
      {hint ? (
        <>
          {" "}
          <span className="font-normal text-slate-600">{hint}</span>
        </>
      ) : null}
    </label>
  );
}

/** The server's answer to a failed write, next to the form that sent it. */
/**
 * The server's message with its parameter name (`expiresAt: …`) replaced by the label the form shows
 * (`Waived through: …`): the API speaks in parameters, people read labels.
 */
export function labelMessage(message: string, labels: Readonly<Record<string, string>> = {}): string {
  const match = /^([A-Za-z][\w.[\]]*): (.*)$/s.exec(message);
  if (!match) return message;
  const label = labels[match[1]] ?? labels[match[1].split(/[.[]/)[0]];
  return label ? `${label}: ${match[2]}` : message;
}

export function FormError({ error, id, className, labels }: { error: unknown; id?: string; className?: string; labels?: Readonly<Record<string, string>> }) {
  if (!error) return null;
  const message = error instanceof ApiError ? labelMessage(error.message, labels) : "The server could not be reached. Check the connection and try again.";
  return (
    <p id={id} role="alert" className={cn("rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900", className)}>
      {error instanceof ApiError && error.status === 403 ? "Not allowed: " : null}
      {message}
    </p>
  );
}

/** A short confirmation after a successful write (a polite live region). */
export function FormSuccess({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <p role="status" className={cn("rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900", className)}>
      {children}
    </p>
  );
}
