"use client";

import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/class-names";

function useDebouncedCallback<Args extends unknown[]>(callback: (...args: Args) => void, delayMs: number) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return (...args: Args) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(...args), delayMs);
  };
}

/** Text search kept in the URL: typing updates it after a short pause; Enter at once. */
export function SearchBox({
  id,
  label = "Search",
  value,
  placeholder,
  onSearch,
  className,
}: {
  id: string;
  label?: string;
  value: string;
  placeholder?: string;
  onSearch: (text: string) => void;
  className?: string;
}) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  // The URL changed from elsewhere (reset link, back button): show what it says.
  if (value !== synced) {
    setSynced(value);
    // Keep what is being typed when the URL only caught up with it (trailing spaces are trimmed).
    if (value !== text.trim()) setText(value);
  }
  const debounced = useDebouncedCallback(onSearch, 300);
  return (
    <form
      role="search"
      className={cn("min-w-[14rem] flex-1", className)}
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <div className="relative">
        <svg aria-hidden viewBox="0 0 16 16" className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-slate-500" fill="none" stroke="currentColor" strokeWidth="1.5">
          <circle cx="7" cy="7" r="4.5" />
          <path d="m10.5 10.5 3 3" />
        </svg>
        <input
          id={id}
          type="search"
          value={text}
          placeholder={placeholder}
          autoComplete="off"
          onChange={(event) => {
            setText(event.target.value);
            debounced(event.target.value.trim());
          }}
          className="h-9 w-full rounded-md border border-slate-300 bg-white pl-8 pr-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500"
        />
      </div>
    </form>
  );
}
