import { scopeParams, type ScopeParams } from "./params";

/** A page's `searchParams` as Next.js passes them. */
export type PageSearchParams = Record<string, string | string[] | undefined>;

/** The first value of a search parameter (a repeated parameter keeps its first value). */
export function firstValue(search: PageSearchParams, name: string): string | undefined {
  const value = search[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The subscription and owner filters of a page. `valid` is false when one is malformed; the page then
 * lets the API answer (and show) the error instead of quietly dropping the filter.
 */
export function readPageScope(search: PageSearchParams): { scope: ScopeParams; valid: boolean } {
  const raw = { subscription: firstValue(search, "subscription") || undefined, owner: firstValue(search, "owner") || undefined };
  const parsed = scopeParams.safeParse(raw);
  return parsed.success ? { scope: parsed.data, valid: true } : { scope: raw, valid: false };
}
