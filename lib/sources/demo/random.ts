// Seeded randomness for the demo estate: sfc32 streams for planning, a stateless hash for
// per-(cluster, day) noise, so any day can be rendered without replaying the ones before it.

const TWO_POW_32 = 4294967296;

/** murmur3's finaliser: spreads every input bit over the whole word. */
function mixBits(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits a JS number seed (possibly above 2^32 or negative) into two 32-bit words. */
export function splitSeed(seed: number): [number, number] {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  return [lo, hi];
}

/** A 32-bit hash of up to five integers; equal inputs give equal outputs on every platform. */
export function hashInts(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = mixBits((a | 0) ^ 0x9e3779b9);
  h = mixBits(h ^ Math.imul(b | 0, 0x27d4eb2f));
  h = mixBits(h ^ Math.imul(c | 0, 0x165667b1));
  h = mixBits(h ^ Math.imul(d | 0, 0x61c88647));
  h = mixBits(h ^ Math.imul(e | 0, 0x7feb352d));
  return h;
}

/** A float in [0, 1) from up to five integers. */
export function hashUnit(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return hashInts(a, b, c, d, e) / TWO_POW_32;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG), seeded from (seed, stream). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const [lo, hi] = splitSeed(seed);
    this.a = hashInts(lo, hi, stream, 1);
    this.b = hashInts(lo, hi, stream, 2);
    this.c = hashInts(lo, hi, stream, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by relative weight; weights need not sum to 1. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Knuth's method; the demo only uses small means. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A GUID-shaped string (version 4, RFC 4122 variant), deterministic for this stream. */
  guid(): string {
    const words = [this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()];
    const hex = words.map((w) => w.toString(16).padStart(8, "0")).join("");
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** Lower-case hex of the given length. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}

/** Random streams of the plan: one per purpose, so adding a feature to one does not reshuffle the others. */
export const STREAM = {
  schedule: 1,
  failures: 2,
  deletions: 3,
  waivers: 4,
  subscriptions: 500_000_000,
  cluster: 1_000_000_000,
  inCluster: 1_500_000_000,
  // Later additions draw from streams of their own, so the plans made before them stay as they were.
  policyStyle: 2_000_000_000,
  workloads: 2_500_000_000,
};

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Code-unit order, the same on every machine (no locale): plans sort by it to stay reproducible. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
