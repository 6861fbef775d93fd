// One page of the Migration view's cluster list. At 10,000 clusters the estate can hold thousands
// still on Azure NPM, each with checks, evidence, commands and caveats: handing all of them to the
// page made it 1 s to serve and megabytes to hydrate, so the page gets the counts of the whole list
// and one page of it (the CSV export still carries every cluster of the filtered list).
import type { MigrationCluster, MigrationView } from "./get-migration-view";
import { VERDICTS, type Verdict } from "@/lib/migration/verdicts";

export interface MigrationPageRequest {
  /** 1-based; a page past the last shows the last. */
  page: number;
  pageSize: number;
  /** Only the clusters with this verdict; undefined: all. */
  verdict?: Verdict;
}

export interface MigrationPage extends Omit<MigrationView, "clusters"> {
  /** The page's clusters, in the view's order. */
  clusters: MigrationCluster[];
  /** Every NPM cluster in scope by verdict (not narrowed by the verdict filter). */
  verdicts: Record<Verdict, number>;
  /** NPM clusters in scope with Windows node pools. */
  withWindowsPools: number;
  /** The verdict filter applied, if any. */
  verdict: Verdict | null;
  /** Clusters the list holds after the verdict filter, and where this page is in it. */
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** The clusters of the view that `verdict` keeps (all of them without one). */
export function filterByVerdict(clusters: readonly MigrationCluster[], verdict: Verdict | undefined): MigrationCluster[] {
  return verdict ? clusters.filter((cluster) => cluster.verdict === verdict) : [...clusters];
}

export function pageOfMigrationView(view: MigrationView, request: MigrationPageRequest): MigrationPage {
  const verdicts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  let withWindowsPools = 0;
  for (const cluster of view.clusters) {
    verdicts[cluster.verdict] += 1;
    if (cluster.windowsPools.length > 0) withWindowsPools += 1;
  }
  const listed = filterByVerdict(view.clusters, request.verdict);
  const pageCount = Math.max(1, Math.ceil(listed.length / request.pageSize));
  const page = Math.min(Math.max(1, request.page), pageCount);
  const start = (page - 1) * request.pageSize;
  const { clusters: _all, ...rest } = view;
  return {
    ...rest,
    clusters: listed.slice(start, start + request.pageSize),
    verdicts,
    withWindowsPools,
    verdict: request.verdict ?? null,
    total: listed.length,
    page,
    pageSize: request.pageSize,
    pageCount,
  };
}
