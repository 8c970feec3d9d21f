/**
 * A small seeded PRNG (mulberry32) plus a seed mixer, so that every random choice in the data layer
 * (the sample's stratified draw, the epoch order, each example's augmentation) is a pure function of
 * integers such as (seed, epoch, example index). Not for cryptography.
 */

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Mixes integers into one 32-bit seed; order matters. Each part must be a safe integer (its high and low
 * 32 bits both count), so mixSeed(seed, epoch, index) differs for every distinct triple in practice.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x2545f491;
  for (const part of parts) {
    if (!Number.isSafeInteger(part)) throw new RangeError(`mixSeed: ${part} is not a safe integer`);
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    const low = part >>> 0;
    h = fmix32((h ^ (low + 0x9e3779b9 + (h << 6) + (h >>> 2))) >>> 0);
    h = fmix32((h ^ (high + 0x9e3779b9 + (h << 6) + (h >>> 2))) >>> 0);
  }
  return h;
}

export class SeededRng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An RNG seeded by mixing several integers, e.g. SeededRng.fromParts(seed, epoch, exampleIndex). */
  static fromParts(...parts: number[]): SeededRng {
    return new SeededRng(mixSeed(...parts));
  }

  /** Next uniform 32-bit unsigned integer (mulberry32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, bound), bound a positive integer ≤ 2^32. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x1_0000_0000) {
      throw new RangeError(`SeededRng.nextInt: bound must be an integer in [1, 2^32], got ${bound}`);
    }
    return Math.floor(this.next() * bound);
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}
