"use client";

import { useState } from "react";

type TableModule = typeof import("./severity-sla-table");

/**
 * How severity, the SLA and due dates work, for every role (read-only). Most visits never open it, so
 * its content and the SLA settings it reads are fetched on the first opening, not with the page.
 */
export function SeveritySlaExplainer() {
  const [content, setContent] = useState<{ module: TableModule | null; failed: boolean }>({ module: null, failed: false });
  const load = () => {
    setContent((current) => (current.failed ? { module: null, failed: false } : current));
    import("./severity-sla-table").then(
      (module) => setContent({ module, failed: false }),
      () => setContent({ module: null, failed: true }),
    );
  };
  const Table = content.module?.SeveritySlaTable;
  return (
    <details
      className="group mt-2 max-w-3xl text-sm print:hidden"
      onToggle={(event) => {
        if (event.currentTarget.open && !content.module) load();
      }}
    >
      <summary className="cursor-pointer font-medium text-brand-700 hover:underline">How severity, SLAs and due dates work</summary>
      <div className="mt-3 space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-slate-700">
        {Table ? (
          <Table />
        ) : content.failed ? (
          <div role="alert" className="flex items-center gap-2 text-red-900">
            <span>The explanation could not be loaded.</span>
            <button type="button" onClick={load} className="rounded border border-red-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-red-100">
              Try again
            </button>
          </div>
        ) : (
          <p role="status" className="text-slate-600">
            Loading…
          </p>
        )}
      </div>
    </details>
  );
}
