import { cn } from "@/lib/class-names";

// The one table of the app's lists (shadcn/ui's table, in our styles): a grey header row, rows
// divided by lines, the first and last columns padded to the edge of the card they sit in.

const EDGE = "first:pl-5 last:pr-5";

/** `caption` is read to screen readers and names the table; it is not shown. */
export function Table({ caption, className, children }: { caption: React.ReactNode; className?: string; children: React.ReactNode }) {
  return (
    <table className={cn("w-full border-collapse text-sm", className)}>
      <caption className="sr-only">{caption}</caption>
      {children}
    </table>
  );
}

export function TableHeader({ children }: { children: React.ReactNode }) {
  return <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">{children}</thead>;
}

export function TableBody({ children }: { children: React.ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function TableRow({ className, children, ...rest }: React.ComponentProps<"tr">) {
  return (
    <tr className={cn("align-middle", className)} {...rest}>
      {children}
    </tr>
  );
}

/** A column header; `align="right"` for figures. */
export function TableHead({ align, className, children, ...rest }: React.ComponentProps<"th"> & { align?: "right" }) {
  return (
    <th scope="col" className={cn("whitespace-nowrap px-2.5 py-2", EDGE, align === "right" && "text-right", className)} {...rest}>
      {children}
    </th>
  );
}

export function TableCell({ align, className, children, ...rest }: React.ComponentProps<"td"> & { align?: "right" }) {
  return (
    <td className={cn("px-2.5 py-2.5", EDGE, align === "right" && "text-right tabular-nums", className)} {...rest}>
      {children}
    </td>
  );
}

/** The cell that names its row (a namespace, a day): a row header for screen readers. */
export function TableRowHeader({ className, children }: { className?: string; children: React.ReactNode }) {
  return (
    <th scope="row" className={cn("px-2.5 py-2.5 text-left font-medium text-slate-900", EDGE, className)}>
      {children}
    </th>
  );
}
