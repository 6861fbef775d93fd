import "server-only";
import { dehydrate, HydrationBoundary, QueryClient, type QueryKey } from "@tanstack/react-query";
import { logger } from "@/lib/logger";

/** A query as a page's loader runs it: the key its client hook reads, and the server function behind the endpoint. */
export interface ServerQuery {
  queryKey: QueryKey;
  queryFn: () => Promise<unknown>;
}

/**
 * A query started now rather than when its widget renders: for a widget nested inside another
 * widget's Prefetch (rendered only once the outer data has arrived), so the two run side by side.
 * A failure is left to the Prefetch that awaits it (which logs it and lets the widget fetch again).
 */
export function startNow(query: ServerQuery | null): ServerQuery | null {
  if (!query) return null;
  const answer = query.queryFn();
  answer.catch(() => undefined);
  return { ...query, queryFn: () => answer };
}

// The JSON copy of each answer, made once: widgets that share a query (the Overview's four read one
// answer) hand React the same object, which its RSC stream sends once and refers to after (issue 20:
// a copy per widget put the Overview's ~35 KB answer into the page four times).
const jsonCopies = new WeakMap<object, unknown>();

/** The answer as the API sends it (JSON), so the hook finds the same shape either way; one copy per answer object. */
function asJson(answer: unknown): unknown {
  if (typeof answer !== "object" || answer === null) return JSON.parse(JSON.stringify(answer)) as unknown;
  if (!jsonCopies.has(answer)) jsonCopies.set(answer, JSON.parse(JSON.stringify(answer)) as unknown);
  return jsonCopies.get(answer);
}

/**
 * Runs a widget's queries on the server and hands their answers to the widget's hooks in the same
 * response (the Next.js learn dashboard's pattern: each widget in its own <Suspense>, so the slowest
 * query holds up its own widget only). A query that fails, or that a malformed request left out
 * (null), is not handed over: the widget fetches it itself and shows the API's error.
 */
export async function Prefetch({ queries, children }: { queries: (ServerQuery | null)[]; children: React.ReactNode }) {
  const client = new QueryClient();
  await Promise.all(
    queries
      .filter((query): query is ServerQuery => query !== null)
      .map((query) =>
        client.prefetchQuery({
          queryKey: query.queryKey,
          queryFn: async () => {
            try {
              return asJson(await query.queryFn());
            } catch (error) {
              logger.error({ err: error, queryKey: query.queryKey }, "a page loader's query failed");
              throw error;
            }
          },
        }),
      ),
  );
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
