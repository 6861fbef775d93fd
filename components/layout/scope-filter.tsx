"use client";

import { useFilterOptionsQuery } from "@/hooks/use-filter-options-query";
import { useScopeParams } from "@/hooks/use-scope-params";

// Fixed widths: the header keeps its size when the options arrive (no layout shift).
const selectClass =
  "h-9 w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm disabled:opacity-60 md:w-[13rem]";
const labelClass = "flex flex-col gap-1 text-sm text-slate-700 md:flex-row md:items-center md:gap-2";

/** Subscription and owner-tag filters for every page, kept in the URL. */
export function ScopeFilter() {
  const { subscription, owner, setParams } = useScopeParams();
  const options = useFilterOptionsQuery();
  const subscriptions = options.data?.subscriptions ?? [];
  const owners = options.data?.owners ?? [];
  return (
    <div className="flex flex-col gap-3 md:flex-row md:flex-wrap md:items-center" role="group" aria-label="Filters">
      <label className={labelClass}>
        Subscription
        <select
          className={selectClass}
          value={subscription ?? ""}
          disabled={options.isPending}
          onChange={(event) => setParams({ subscription: event.target.value || undefined })}
        >
          <option value="">All subscriptions</option>
          {subscription && !subscriptions.some((s) => s.id === subscription) ? <option value={subscription}>{subscription}</option> : null}
          {subscriptions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName ?? s.id} ({s.clusters})
            </option>
          ))}
        </select>
      </label>
      <label className={labelClass}>
        Owner
        <select
          className={selectClass}
          value={owner ?? ""}
          disabled={options.isPending}
          onChange={(event) => setParams({ owner: event.target.value || undefined })}
        >
          <option value="">All owners</option>
          {owner && !owners.some((o) => o.owner === owner) ? <option value={owner}>{owner}</option> : null}
          {owners.map((o) => (
            <option key={o.owner} value={o.owner}>
              {o.owner} ({o.clusters})
            </option>
          ))}
        </select>
      </label>
      {subscription || owner ? (
        <button type="button" onClick={() => setParams({ subscription: undefined, owner: undefined })} className="text-left text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
