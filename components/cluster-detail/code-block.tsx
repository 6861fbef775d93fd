import { CopyButton } from "@/components/ui/copy-button";

/** Source text shown verbatim (never as HTML), scrollable by keyboard, with a copy button. */
export function CodeBlock({ code, language, copyLabel }: { code: string; language: string; copyLabel: string }) {
  return (
    <div className="relative overflow-hidden rounded-lg border border-slate-800 bg-slate-900">
      <div className="flex items-center justify-between border-b border-slate-700/80 px-3 py-1.5">
        <span className="font-mono text-[11px] uppercase tracking-wider text-slate-300">{language}</span>
        <CopyButton text={code} label={copyLabel} tone="dark" />
      </div>
      <pre tabIndex={0} className="max-h-96 overflow-auto px-3 py-2.5 font-mono text-[12.5px] leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}
