/** What to do when nothing has been collected yet: the three ways to get data in. */
export function NoDataHelp() {
  return (
    <div className="mx-auto max-w-xl space-y-1 text-left">
      <p>Record a collection run, then reload this page:</p>
      <ul className="list-disc space-y-1 pl-5">
        <li>
          from Azure: <code className="rounded bg-slate-100 px-1 font-mono text-slate-900">npx bulkhead collect</code>
        </li>
        <li>
          from exported files: <code className="rounded bg-slate-100 px-1 font-mono text-slate-900">npx bulkhead import DIR --as-of 2026-03-01T06:00:00Z</code>
        </li>
        <li>
          to try it out: <code className="rounded bg-slate-100 px-1 font-mono text-slate-900">npx bulkhead demo</code>
        </li>
      </ul>
    </div>
  );
}
