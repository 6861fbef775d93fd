import "server-only";
import type { Database } from "@/lib/db/client";
import { nextSpendPeriodAt } from "./get-spend-kpis";

// KPI figures cached per scope (issue 20). The Overview and its cards ask for the same figures on
// every page load; at 10,000 clusters each answer is tens of milliseconds of SQL, and twenty people
// at once queue on two cores. An entry is served only while it is provably what the database would
// answer now:
//
// - Writes. Every transaction that changes a table these figures read leaves its id in
//   `kpi_cache_changes` (triggers, migration 20261207053000_kpi_cache_changes), whatever code path
//   it came from: a run landing, `runs undo-last`, a waiver, a finding's state, a re-evaluation,
//   another process. An entry remembers the database snapshot taken before it was computed; before
//   it is served, one indexed query asks whether a transaction that snapshot did not see has since
//   committed a change. If one has, the entry is dropped and computed again.
// - Time. Figures at a time T (the Overview's "now") change as time passes even without writes: a
//   waiver expires, an interval opened by a run captured ahead of the clock starts, a resolution
//   leaves the MTTR window, UTC midnight moves the spend period on. An entry computed at T holds
//   for [T, next such event) and no longer.
// - Age. Entries live at most ENTRY_TTL_MS (and pruning the changes table relies on that).

/** How long an entry may be served at most, whatever the checks say. */
export const ENTRY_TTL_MS = 5 * 60_000;
/** Entries kept per database (oldest dropped first). */
const MAX_ENTRIES = 1_000;
/** How often a process prunes `kpi_cache_changes`. */
const PRUNE_EVERY_MS = ENTRY_TTL_MS;

interface Entry {
  value: unknown;
  /** pg_current_snapshot() taken before the value was computed. */
  snapshot: string;
  /** Times the value holds for: [validFrom, validUntil). */
  validFrom: number;
  validUntil: number;
  storedAt: number;
}

interface Store {
  entries: Map<string, Entry[]>;
  size: number;
  /** Computations under way, by key, so concurrent misses wait for one. */
  pending: Map<string, Promise<unknown>>;
  /** Snapshots taken, oldest first: the prune horizon is one older than any entry can be. */
  snapshots: { at: number; snapshot: string }[];
  lastPrune: number;
  stats: KpiCacheStats;
}

export interface KpiCacheStats {
  hits: number;
  misses: number;
  /** Entries dropped because a write committed after they were computed. */
  invalidated: number;
}

// One store per database, shared by every bundle of the server (route handlers and pages load
// this module separately): keyed by the pool, which outlives each bundle's import.
const STORES_KEY = Symbol.for("bulkhead.kpi-cache");
const globalStores = globalThis as typeof globalThis & { [STORES_KEY]?: WeakMap<object, Store> };
const stores = (globalStores[STORES_KEY] ??= new WeakMap<object, Store>());

function storeOf(db: Database): Store {
  let store = stores.get(db.pool);
  if (!store) {
    store = { entries: new Map(), size: 0, pending: new Map(), snapshots: [], lastPrune: Date.now(), stats: { hits: 0, misses: 0, invalidated: 0 } };
    stores.set(db.pool, store);
  }
  return store;
}

export function kpiCacheStats(db: Database): KpiCacheStats {
  return { ...storeOf(db).stats };
}

export interface CachedAtTimeOptions<T> {
  /** What is asked for, besides the time: the figure and its scope, as a stable string. */
  key: string;
  /** The time the figures are at; null for figures that depend on writes only (a day's trend). */
  at: Date | null;
  compute: () => Promise<T>;
  /** The cached value as computed at another time of its window: the fields that name the time itself. */
  retime?: (value: T, at: Date) => T;
}

/** The figures of `options.key` at `options.at`, from the cache when they provably have not changed. */
export async function cachedAtTime<T>(db: Database, options: CachedAtTimeOptions<T>): Promise<T> {
  const store = storeOf(db);
  const at = options.at?.getTime() ?? 0;
  const cached = await lookUp(db, store, options, at);
  if (cached.found) return cached.value;
  // Concurrent misses on one key (twenty people opening the Overview at once) wait for the
  // computation under way, whose window most likely covers their time too.
  const pending = store.pending.get(options.key);
  if (pending) {
    await pending.catch(() => undefined);
    const after = await lookUp(db, store, options, at);
    if (after.found) return after.value;
  }
  store.stats.misses += 1;
  const computing = fill(db, store, options, at);
  store.pending.set(options.key, computing);
  try {
    return await computing;
  } finally {
    if (store.pending.get(options.key) === computing) store.pending.delete(options.key);
  }
}

async function lookUp<T>(db: Database, store: Store, options: CachedAtTimeOptions<T>, at: number): Promise<{ found: true; value: T } | { found: false }> {
  const now = Date.now();
  for (const entry of store.entries.get(options.key) ?? []) {
    if (now - entry.storedAt > ENTRY_TTL_MS || at < entry.validFrom || at >= entry.validUntil) continue;
    if (await changedSince(db, entry.snapshot)) {
      store.stats.invalidated += 1;
      dropEntries(store, options.key, (candidate) => candidate.snapshot === entry.snapshot);
      return { found: false };
    }
    store.stats.hits += 1;
    return { found: true, value: options.retime && options.at ? options.retime(entry.value as T, options.at) : (entry.value as T) };
  }
  return { found: false };
}

async function fill<T>(db: Database, store: Store, options: CachedAtTimeOptions<T>, at: number): Promise<T> {
  // The snapshot first: whatever the computation then reads is at least what it saw, and anything
  // committed after it shows up as a change the entry did not see.
  const window = await db.pool.query<{ snapshot: string; next_event: Date | null }>(
    options.at === null
      ? `SELECT pg_current_snapshot()::text AS snapshot, NULL::timestamptz AS next_event`
      : `SELECT pg_current_snapshot()::text AS snapshot, ${NEXT_EVENT_SQL} AS next_event`,
    options.at === null ? [] : [options.at],
  );
  const { snapshot, next_event: nextEvent } = window.rows[0];
  const value = await options.compute();
  const storedAt = Date.now();
  // One sample a minute is enough for the prune horizon.
  if (store.snapshots.length === 0 || storedAt - store.snapshots[store.snapshots.length - 1].at > 60_000) store.snapshots.push({ at: storedAt, snapshot });
  const entry: Entry = {
    value,
    snapshot,
    validFrom: options.at === null ? Number.NEGATIVE_INFINITY : at,
    validUntil: options.at === null ? Number.POSITIVE_INFINITY : Math.min(nextEvent?.getTime() ?? Number.POSITIVE_INFINITY, nextSpendPeriodAt(new Date(at))),
    storedAt,
  };
  const list = (store.entries.get(options.key) ?? []).filter((candidate) => storedAt - candidate.storedAt <= ENTRY_TTL_MS);
  store.size -= store.entries.get(options.key)?.length ?? 0;
  // Newest first: at a time two entries both cover, the later one is served.
  list.unshift(entry);
  store.entries.delete(options.key);
  store.entries.set(options.key, list);
  store.size += list.length;
  evict(store);
  await prune(db, store, storedAt);
  return value;
}

/**
 * The first time after $1 at which a figure at that time can change without a write (besides UTC
 * midnight, when the spend period moves on a day): an interval
 * starting or ending, a waiver starting, expiring or revoked, an NP-01 finding opening, resolving or
 * leaving the 30-day MTTR window, a run's capture. Each is an index lookup.
 */
const NEXT_EVENT_SQL = `LEAST(
    (SELECT min(valid_from) FROM posture_intervals WHERE valid_from > $1::timestamptz),
    (SELECT min(valid_to) FROM posture_intervals WHERE valid_to > $1::timestamptz),
    (SELECT min(t) FROM waivers w CROSS JOIN LATERAL (VALUES (w.created_at), (w.expires_at), (w.revoked_at)) AS v(t) WHERE t > $1::timestamptz),
    (SELECT min(opened_at) FROM findings WHERE opened_at > $1::timestamptz),
    (SELECT min(resolved_at) FROM findings WHERE control_id = 'NP-01' AND resolved_at > $1::timestamptz),
    (SELECT min(resolved_at) + interval '30 days' FROM findings WHERE control_id = 'NP-01' AND resolved_at > $1::timestamptz - interval '30 days'),
    (SELECT min(captured_at) FROM collection_runs WHERE captured_at > $1::timestamptz))`;

/** True when a transaction that `snapshot` did not see has committed a change to what the figures read. */
async function changedSince(db: Database, snapshot: string): Promise<boolean> {
  const { rows } = await db.pool.query<{ changed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM kpi_cache_changes
                     WHERE xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot)) AS changed`,
    [snapshot],
  );
  return rows[0].changed;
}

function dropEntries(store: Store, key: string, drop: (entry: Entry) => boolean): void {
  const list = store.entries.get(key);
  if (!list) return;
  const kept = list.filter((entry) => !drop(entry));
  store.size -= list.length - kept.length;
  if (kept.length === 0) store.entries.delete(key);
  else store.entries.set(key, kept);
}

function evict(store: Store): void {
  for (const key of store.entries.keys()) {
    if (store.size <= MAX_ENTRIES) return;
    dropEntries(store, key, () => true);
  }
}

/**
 * Rows of `kpi_cache_changes` that every snapshot any live entry (in any process) holds already saw
 * can go: those of transactions before the oldest one running when this process took a snapshot
 * more than two entry lifetimes ago. Entries are younger than one lifetime, so their snapshots are
 * later and saw at least as much.
 */
async function prune(db: Database, store: Store, now: number): Promise<void> {
  if (now - store.lastPrune < PRUNE_EVERY_MS) return;
  store.lastPrune = now;
  let horizon: string | undefined;
  while (store.snapshots.length > 0 && now - store.snapshots[0].at > 2 * ENTRY_TTL_MS) horizon = store.snapshots.shift()!.snapshot;
  if (!horizon) return;
  // Housekeeping: a failure here leaves rows for the next prune and must not fail the request.
  await db.pool.query(`DELETE FROM kpi_cache_changes WHERE xid < pg_snapshot_xmin($1::pg_snapshot)`, [horizon]).catch(() => undefined);
}
