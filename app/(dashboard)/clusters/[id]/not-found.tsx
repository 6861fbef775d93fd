import Link from "next/link";

export default function ClusterNotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-2xl font-semibold text-slate-900">Cluster not found</h1>
      <p className="mt-2 text-slate-600">
        No cluster has this id. The link may be wrong, or it points at a store other than this one. Deleted clusters stay listed: find them with
        &ldquo;Deleted clusters: Include&rdquo; on the clusters page.
      </p>
      <Link href="/clusters?deleted=include" className="mt-6 inline-block font-medium text-brand-700 underline">
        Search all clusters, deleted ones too
      </Link>
    </div>
  );
}
