import { Prisma } from "@prisma/client";
import { scopeFilterSql, type KpiScope } from "@/lib/kpi/scope";

/** The KPI scope (subscription, owner) plus "production only", which the Compliance page and `evidence` add. */
export interface ComplianceScope extends KpiScope {
  productionOnly?: boolean;
}

/** The scope as a filter on a table with `subscription_id`, `owner` and `production` columns. */
export function complianceScopeSql(scope: ComplianceScope, alias: string): Prisma.Sql {
  const production = scope.productionOnly ? Prisma.raw(`${alias}.production`) : Prisma.sql`TRUE`;
  return Prisma.sql`(${scopeFilterSql(scope, alias)} AND ${production})`;
}

/** The scope in words: "subscription 0000… and owner payments, production clusters only". */
export function describeScope(scope: ComplianceScope): string {
  const parts = [scope.subscriptionId ? `subscription ${scope.subscriptionId}` : null, scope.owner ? `owner ${scope.owner}` : null].filter(Boolean);
  const base = parts.length ? parts.join(" and ") : "all subscriptions and owners";
  return scope.productionOnly ? `${base}, production clusters only` : base;
}
