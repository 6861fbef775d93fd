"use client";

export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-lg font-semibold">This page could not be shown.</h1>
      <p className="mt-1 text-sm">The server could not answer. If it keeps happening, check the server log.</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-red-100">
        Try again
      </button>
    </div>
  );
}
