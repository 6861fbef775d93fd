import { AppError } from "@/lib/errors";

/**
 * At most `limit` pieces of work at once; up to `queueLimit` more wait (each at most
 * `queueTimeoutMs`); beyond that, or past the wait, an `overloaded` error (HTTP 503 with
 * Retry-After). Overload then costs a quick refusal instead of a growing pile of requests that
 * each hold memory and wait for a database connection.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  private readonly counters = { admitted: 0, queued: 0, refused: 0, peakActive: 0, peakWaiting: 0 };

  constructor(
    readonly limit: number,
    readonly queueLimit: number,
    readonly queueTimeoutMs: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * A slot held until the returned function is called (once; later calls do nothing): for work that
   * outlives a call, such as a download still being sent after its handler has returned.
   */
  async acquire(): Promise<() => void> {
    await this.enter();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.leave();
    };
  }

  stats() {
    return { active: this.active, waiting: this.waiting.length, ...this.counters };
  }

  private enter(): Promise<void> {
    if (this.active < this.limit) {
      this.admit();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) {
      this.counters.refused++;
      return Promise.reject(overloaded());
    }
    this.counters.queued++;
    return new Promise((resolve, reject) => {
      const entry = {
        admit: () => {
          clearTimeout(entry.timer);
          this.admit();
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          this.counters.refused++;
          reject(overloaded());
        }, this.queueTimeoutMs),
      };
      this.waiting.push(entry);
      this.counters.peakWaiting = Math.max(this.counters.peakWaiting, this.waiting.length);
    });
  }

  private admit(): void {
    this.active++;
    this.counters.admitted++;
    this.counters.peakActive = Math.max(this.counters.peakActive, this.active);
  }

  private leave(): void {
    this.active--;
    this.waiting.shift()?.admit();
  }
}

/** Seconds a refused client is asked to wait before it tries again. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

function overloaded(): AppError {
  return new AppError("overloaded", `The server is busy; try again in ${OVERLOAD_RETRY_AFTER_SECONDS} seconds.`);
}
