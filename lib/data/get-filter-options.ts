import "server-only";
import type { Database } from "@/lib/db/client";

export interface FilterOptions {
  subscriptions: { id: string; displayName: string | null; clusters: number }[];
  owners: { owner: string; clusters: number }[];
}

/** What the subscription and owner filters offer: those with clusters that are not deleted. */
export async function getFilterOptions(db: Database): Promise<FilterOptions> {
  const [subscriptions, owners] = await Promise.all([
    db.prisma.$queryRaw<{ id: string; display_name: string | null; clusters: bigint }[]>`
      SELECT s.id, s.display_name, count(c.id) AS clusters
        FROM subscriptions s JOIN clusters c ON c.subscription_id = s.id AND c.deleted_at IS NULL
       GROUP BY s.id, s.display_name ORDER BY COALESCE(s.display_name, s.id)`,
    db.prisma.$queryRaw<{ owner: string; clusters: bigint }[]>`
      SELECT owner, count(*) AS clusters FROM clusters WHERE deleted_at IS NULL GROUP BY owner ORDER BY owner`,
  ]);
  return {
    subscriptions: subscriptions.map((row) => ({ id: row.id, displayName: row.display_name, clusters: Number(row.clusters) })),
    owners: owners.map((row) => ({ owner: row.owner, clusters: Number(row.clusters) })),
  };
}
