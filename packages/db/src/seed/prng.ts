/**
 * Seeded pseudo-random numbers for the demo seed. The same seed always gives the same
 * sequence, on every machine and Node version: nothing here reads Math.random or the clock.
 */

/** A deterministic random source with the few draws the seed needs. */
export type TRng = {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  nextUint32(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element of a non-empty list, with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
};

/** Spreads a 32-bit seed so that nearby seeds (1, 2, 3) start far apart. */
export function mixSeed(seed: number): number {
  let z = (seed >>> 0) + 0x9e3779b9;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** mulberry32: a small, fast 32-bit generator, good enough for demo data. */
export function createRng(seed: number): TRng {
  let state = mixSeed(seed);
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4_294_967_296;

  const rng: TRng = {
    next,
    nextUint32,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    float(min, max) {
      return min + next() * (max - min);
    },
    chance(probability) {
      return next() < probability;
    },
    pick(items) {
      if (items.length === 0) throw new Error("rng.pick: empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items, weightOf) {
      if (items.length === 0) throw new Error("rng.weighted: empty list");
      let total = 0;
      for (const item of items) total += Math.max(0, weightOf(item));
      if (total <= 0) return rng.pick(items);
      let point = next() * total;
      for (const item of items) {
        point -= Math.max(0, weightOf(item));
        if (point < 0) return item;
      }
      return items[items.length - 1] as (typeof items)[number];
    },
    shuffle(items) {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const a = copy[i] as (typeof copy)[number];
        copy[i] = copy[j] as (typeof copy)[number];
        copy[j] = a;
      }
      return copy;
    },
  };
  return rng;
}

/**
 * Stable ids: v4-shaped UUIDs made from a seeded sfc32 stream (128-bit state, so ids of
 * different seeds do not overlap the way two mulberry32 streams would). Kept apart from the
 * data stream so that adding a table never shifts names or placements.
 */
export function createIdFactory(seed: number): () => string {
  let a = mixSeed(seed ^ 0x5eed1d5);
  let b = mixSeed(a);
  let c = mixSeed(b);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();

  const hex = (n: number): string => n.toString(16).padStart(8, "0");
  return () => {
    const w0 = next();
    const w1 = ((next() & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    const w2 = ((next() & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
    const w3 = next();
    const h = hex(w0) + hex(w1) + hex(w2) + hex(w3);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };
}
