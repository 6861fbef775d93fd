import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address. The cluster may have been removed, or the link is wrong.</p>
      <Link href="/" className="mt-6 inline-block font-medium text-brand-700 underline">
        Back to the overview
      </Link>
    </main>
  );
}
