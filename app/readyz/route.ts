import { NextResponse } from "next/server";
import { getDatabase, markDatabaseUnavailable } from "@/lib/db/client";
import { findPendingMigrations } from "@/lib/db/migrate";

/** Longer than a healthy database ever takes to answer SELECT 1 on loopback. */
const READINESS_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Readiness for a load balancer or orchestrator: 200 when the database answers and has every
 * migration this version ships (a rolling upgrade's new pods wait for theirs), else 503 (and the
 * next request reconnects). No sign-in, and nothing about the estate or the error in the answer.
 */
export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    const db = await within(getDatabase(), READINESS_TIMEOUT_MS);
    const pending = await within(findPendingMigrations(db.pool), READINESS_TIMEOUT_MS);
    if (pending.length > 0) return NextResponse.json({ status: "migrating" }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
    return NextResponse.json({ status: "ready" }, { headers });
  } catch {
    markDatabaseUnavailable();
    return NextResponse.json({ status: "unavailable" }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
  }
}
