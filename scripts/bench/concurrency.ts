// Requests at a fixed number of concurrent users (issue 20): each user sends its next request as
// soon as its previous one is answered (closed loop, no think time), over keep-alive connections
// (Node's fetch pools them per origin, one per request in flight).
// Loopback only; the figures are per request, from send to the last byte of the body.
import { performance } from "node:perf_hooks";

export interface ConcurrencyFigure {
  users: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** Requests answered per second over the level. */
  throughput: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * `target` at each level of concurrent users, `requestsPerLevel` requests shared out among them
 * (after one warm-up request per user). A non-2xx answer or a failed request is an error, and its time still counts.
 */
export async function measureConcurrency(
  base: URL,
  target: string,
  options: { cookie: string; levels: readonly number[]; requestsPerLevel: number },
): Promise<ConcurrencyFigure[]> {
  if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) throw new Error(`the URL must be loopback, not ${base.hostname}`);
  const send = async (): Promise<{ ms: number; ok: boolean }> => {
    const started = performance.now();
    try {
      const response = await fetch(new URL(target, base), { headers: { cookie: options.cookie }, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await response.arrayBuffer();
      return { ms: performance.now() - started, ok: response.ok };
    } catch {
      return { ms: performance.now() - started, ok: false };
    }
  };
  const figures: ConcurrencyFigure[] = [];
  for (const users of options.levels) {
    await Promise.all(Array.from({ length: users }, send));
    const perUser = Math.ceil(options.requestsPerLevel / users);
    const times: number[] = [];
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: users }, async () => {
        for (let i = 0; i < perUser; i++) {
          const { ms, ok } = await send();
          times.push(ms);
          if (!ok) errors += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    figures.push({
      users,
      requests: times.length,
      errors,
      p50: round1(percentile(times, 50)),
      p95: round1(percentile(times, 95)),
      p99: round1(percentile(times, 99)),
      throughput: round1(times.length / seconds),
    });
  }
  return figures;
}
