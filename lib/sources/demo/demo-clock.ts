// Capture times of the demo's runs and the creation timestamps printed on its objects.

import { hashUnit } from "./random";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Creation times fall in one of 76 quarter-hour slots between 1 and 20 hours before a run; higher is earlier. */
export const CREATION_SLOTS = 76;

export class DemoClock {
  private readonly captures: number[];
  private readonly weekend: boolean[];
  private readonly isoCache = new Map<number, string[]>();

  constructor(
    readonly endAtMs: number,
    readonly days: number,
    seed: number,
  ) {
    this.captures = [];
    this.weekend = [];
    for (let d = 0; d < days; d++) {
      // The last run is exactly endAt; earlier ones drift by a few minutes like a real scheduler.
      const jitter = d === days - 1 ? 0 : Math.floor(hashUnit(seed, 5, d) * 7 * MINUTE_MS / 1000) * 1000;
      const ms = this.dayBaseMs(d) + jitter;
      this.captures.push(ms);
      const weekday = new Date(ms).getUTCDay();
      this.weekend.push(weekday === 0 || weekday === 6);
    }
  }

  /** endAt shifted by whole days; day may be negative (before the period). */
  dayBaseMs(day: number): number {
    return this.endAtMs - (this.days - 1 - day) * DAY_MS;
  }

  captureMs(day: number): number {
    return this.captures[day];
  }

  isWeekend(day: number): boolean {
    return this.weekend[day];
  }

  /** A Kubernetes-style timestamp ("2025-03-04T17:45:12Z") for an object that first appears in run `day`. */
  creationTimestamp(day: number, slot: number): string {
    let slots = this.isoCache.get(day);
    if (slots === undefined) this.isoCache.set(day, (slots = []));
    let iso = slots[slot];
    if (iso === undefined) {
      const minutesBefore = 60 + slot * 15 + ((slot * 7) % 15);
      const ms = this.dayBaseMs(day) - minutesBefore * MINUTE_MS - ((slot * 37) % 60) * 1000;
      iso = slots[slot] = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    return iso;
  }
}
