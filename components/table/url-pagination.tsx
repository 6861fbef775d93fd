import { Pagination } from "@/components/ui/pagination";

/**
 * Page controls of a list whose page and page size live in the URL: the first page and the default
 * size are left out of it, so a plain link and the default view are the same address.
 */
export function UrlPagination({
  page,
  pageCount,
  pageSize,
  total,
  pageSizes,
  defaultPageSize,
  noun,
  setParams,
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  pageSizes: readonly number[];
  defaultPageSize: number;
  /** Plural noun of the rows, e.g. "clusters". */
  noun: string;
  setParams: (changes: Record<string, string | undefined>) => void;
}) {
  return (
    <Pagination
      className="mt-3"
      page={page}
      pageCount={pageCount}
      pageSize={pageSize}
      total={total}
      pageSizes={pageSizes}
      noun={noun}
      onPageChange={(next) => setParams({ page: next > 1 ? String(next) : undefined })}
      onPageSizeChange={(size) => setParams({ pageSize: size === defaultPageSize ? undefined : String(size) })}
    />
  );
}
