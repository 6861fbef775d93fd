import "server-only";
import type pg from "pg";
import { addressBucket } from "@/lib/http/client-address";

/**
 * Better Auth endpoints that check a password: a guess at any of them counts against the client's
 * address. (Better Auth's own limiter counts successes too and reads X-Forwarded-For as sent.)
 */
export const PASSWORD_CHECKING_PATHS: readonly string[] = ["/sign-in/email", "/change-password", "/verify-password"];

/** How often expired windows are swept, per process. */
const SWEEP_INTERVAL_MS = 60_000;

export interface PasswordAttemptLimit {
  /** Failed checks allowed per window. */
  max: number;
  /** Window length in seconds, from the first failure. */
  window: number;
}

export type PasswordAttempt =
  | { allowed: true; key: string; windowStartedAt: Date }
  | { allowed: false; retryAfterSeconds: number };

let lastSweep = 0;

/**
 * Reserves one attempt for the client before its password is checked: a reservation is a failure
 * unless `refundPasswordAttempt` takes it back after a success. Reserving first (one atomic upsert)
 * means a burst of parallel guesses cannot all slip in before the first failure is counted.
 */
export async function reservePasswordAttempt(pool: pg.Pool, clientAddress: string | null, limit: PasswordAttemptLimit): Promise<PasswordAttempt> {
  const key = `password:${addressBucket(clientAddress)}`;
  const { rows } = await pool.query<{ failures: number; window_started_at: Date; retry_after: number }>(
    `INSERT INTO password_attempt_windows AS w (key, failures, window_started_at) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN w.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE w.failures + 1 END,
       window_started_at = CASE WHEN w.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE w.window_started_at END
     RETURNING failures, window_started_at,
       ceil(extract(epoch FROM (window_started_at + make_interval(secs => $2) - now())))::int AS retry_after`,
    [key, limit.window],
  );
  const row = rows[0];
  void sweepExpiredWindows(pool, limit.window);
  if (row.failures > limit.max) return { allowed: false, retryAfterSeconds: Math.max(1, row.retry_after) };
  return { allowed: true, key, windowStartedAt: row.window_started_at };
}

/** A successful check does not count: its reservation is taken back (in the window it was made in). */
export async function refundPasswordAttempt(pool: pg.Pool, attempt: Extract<PasswordAttempt, { allowed: true }>): Promise<void> {
  await pool.query(
    `UPDATE password_attempt_windows SET failures = failures - 1 WHERE key = $1 AND window_started_at = $2 AND failures > 0`,
    [attempt.key, attempt.windowStartedAt],
  );
}

async function sweepExpiredWindows(pool: pg.Pool, windowSeconds: number): Promise<void> {
  const now = Date.now();
  if (now - lastSweep < SWEEP_INTERVAL_MS) return;
  lastSweep = now;
  await pool
    .query(`DELETE FROM password_attempt_windows WHERE window_started_at < now() - make_interval(secs => $1)`, [windowSeconds])
    .catch(() => {});
}
