import Link from "next/link";

export default function FindingNotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-2xl font-semibold text-slate-900">Finding not found</h1>
      <p className="mt-2 text-slate-600">There is no finding with this number. The link may be wrong, or copied only in part.</p>
      <Link href="/findings" className="mt-6 inline-block font-medium text-brand-700 underline">
        Back to the findings
      </Link>
    </div>
  );
}
