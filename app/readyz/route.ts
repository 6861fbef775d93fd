import { NextResponse } from "next/server";
import { getDatabase, markDatabaseUnavailable } from "@/lib/db/client";

/** Longer than a healthy database ever takes to answer SELECT 1 on loopback. */
const READINESS_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Readiness for a load balancer or orchestrator: 200 when the database answers, else 503 (and the
 * next request reconnects). No sign-in, and nothing about the estate or the error in the answer.
 */
export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    const db = await within(getDatabase(), READINESS_TIMEOUT_MS);
    await within(db.pool.query("SELECT 1"), READINESS_TIMEOUT_MS);
    return NextResponse.json({ status: "ready" }, { headers });
  } catch {
    markDatabaseUnavailable();
    return NextResponse.json({ status: "unavailable" }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
  }
}
