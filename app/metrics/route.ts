import type { NextRequest } from "next/server";
import client from "prom-client";
import { getDatabase, markDatabaseUnavailable } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { checkMetricsAccess } from "@/lib/metrics/metrics-token";
import { processMetrics } from "@/lib/metrics/process-metrics";
import { collectStoreMetrics } from "@/lib/metrics/store-metrics";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Prometheus metrics (docs/deploying.md): the KPIs per subscription and owner, the last run's
 * duration, outcome and errors by cause, HTTP latency and the process's own figures. Off unless
 * BULKHEAD_METRICS_TOKEN is set (then 404, as if absent); with it, only a request that presents
 * the token as a bearer token is answered. The session cookie plays no part: scrapers have none.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const access = checkMetricsAccess(request.headers.get("authorization"), getEnv().BULKHEAD_METRICS_TOKEN);
  if (access === "disabled") return Response.json({ error: { code: "not-found", message: "Not found." } }, { status: 404, headers: NO_STORE });
  if (access === "unauthorized") {
    return Response.json(
      { error: { code: "unauthenticated", message: "Present the metrics token as a bearer token." } },
      { status: 401, headers: { ...NO_STORE, "WWW-Authenticate": 'Bearer realm="bulkhead-metrics"' } },
    );
  }
  const registries = [processMetrics().registry];
  const up = new client.Registry();
  const storeUp = new client.Gauge({ name: "bulkhead_store_up", help: "1 when the store answered this scrape, 0 when it could not be read.", registers: [up] });
  try {
    const db = await getDatabase();
    registries.push(await collectStoreMetrics(db, new Date()));
    storeUp.set(1);
  } catch (error) {
    markDatabaseUnavailable();
    logger.warn({ err: error }, "metrics: the store could not be read");
    storeUp.set(0);
  }
  registries.push(up);
  const merged = client.Registry.merge(registries);
  return new Response(await merged.metrics(), { headers: { ...NO_STORE, "Content-Type": merged.contentType } });
}
