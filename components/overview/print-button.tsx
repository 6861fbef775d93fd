"use client";

/** Opens the browser's print dialog; "Save as PDF" there gives a clean one-page report. */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 print:hidden"
    >
      <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
        <path d="M5 2h10v4H5V2Zm-2 5h14a2 2 0 0 1 2 2v5h-4v4H5v-4H1V9a2 2 0 0 1 2-2Zm4 7v2h6v-4H7v2Z" />
      </svg>
      Print or save as PDF
    </button>
  );
}
