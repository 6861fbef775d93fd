// Query keys and URLs of the findings endpoints, shared by client hooks and any server prefetch, so
// hydrated data lands under exactly the key the hook asks for.
import { toSearch } from "./fetch-json";

export interface OverdueByOwnerRequest {
  subscription?: string;
  owner?: string;
  /** ISO time; default now. */
  asOf?: string;
  limit?: number;
}

function clean<T extends object>(request: T): T {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined && value !== null && value !== "")) as T;
}

export const overdueByOwnerQueryKey = (request: OverdueByOwnerRequest) => ["overdue-by-owner", clean(request)] as const;
export const overdueByOwnerUrl = (request: OverdueByOwnerRequest) => `/api/findings/overdue-by-owner${toSearch({ ...clean(request) })}`;
