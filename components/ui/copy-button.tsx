"use client";

import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/class-names";

type CopyState = "idle" | "copied" | "failed";

/** The Clipboard API, else the old execCommand path (plain http on another host has no clipboard API). */
async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused: try the fallback below.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}

/** Copies `text`; says "Copied" (visibly and to screen readers) for two seconds. */
export function CopyButton({ text, label, tone = "light", className }: { text: string; label: string; tone?: "light" | "dark"; className?: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    clearTimeout(timer.current);
    try {
      await writeClipboard(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    timer.current = setTimeout(() => setState("idle"), 2000);
  };

  return (
    <>
      <button
        type="button"
        onClick={copy}
        aria-label={state === "copied" ? `Copied: ${label}` : `Copy ${label}`}
        className={cn(
          "inline-flex h-7 items-center gap-1.5 rounded-md border px-2 text-xs font-medium shadow-sm transition-colors",
          state === "copied"
            ? "border-emerald-500 bg-emerald-50 text-emerald-800"
            : state === "failed"
              ? "border-red-400 bg-red-50 text-red-800"
              : tone === "dark"
                ? "border-slate-500 bg-slate-800 text-slate-50 hover:bg-slate-700"
                : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
          className,
        )}
      >
        <svg aria-hidden viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
          {state === "copied" ? <path d="M3 8.5 6.5 12 13 4.5" /> : <path d="M5.5 5.5V3.25c0-.41.34-.75.75-.75h6.5c.41 0 .75.34.75.75v6.5c0 .41-.34.75-.75.75H10.5M3.25 5.5h6.5c.41 0 .75.34.75.75v6.5c0 .41-.34.75-.75.75h-6.5a.75.75 0 0 1-.75-.75v-6.5c0-.41.34-.75.75-.75Z" />}
        </svg>
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? `${label} copied to the clipboard` : state === "failed" ? "Could not copy; select the text and copy it by hand" : ""}
      </span>
    </>
  );
}
