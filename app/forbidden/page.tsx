import Link from "next/link";

export default function ForbiddenPage() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-slate-600">Your role does not include this page. Ask an administrator if you need it.</p>
      <Link href="/" className="mt-6 inline-block font-medium text-brand-700 underline">Back to the overview</Link>
    </main>
  );
}
