"use client";

import { formatAge, formatDateTime } from "@/lib/format";

/** "3 days ago", with the exact UTC time as title; server and browser clocks may differ by a tick. */
export function RelativeTime({ value, className }: { value: string; className?: string }) {
  return (
    <time dateTime={value} title={formatDateTime(value)} className={className} suppressHydrationWarning>
      {formatAge(value)}
    </time>
  );
}
