/**
 * The ring allreduce schedule, as pure functions of (rank, worldSize, length): which segment a rank sends and
 * receives at each step, and how a segment is cut into chunks. Both collectives and the receiver's validation
 * use it, so the TCP ring and the in-process stand-in agree on every offset and on the summation order.
 *
 * A buffer of `length` elements is cut into `worldSize` contiguous segments (the first `length % worldSize`
 * one element longer). A ring op has 2(N-1) steps: steps 0..N-2 are the reduce-scatter rounds, steps
 * N-1..2N-3 the all-gather rounds. At reduce-scatter round r, rank i sends segment (i-r) mod N to rank i+1 and
 * adds segment (i-r-1) mod N received from rank i-1 into its own; after it, rank i holds the full sum of
 * segment (i+1) mod N. At all-gather round r it sends segment (i+1-r) mod N and overwrites segment (i-r) mod N
 * with what it receives. The segment a rank sends at step s+1 is the one it received at step s, chunk for
 * chunk, which is what lets chunk k of step s+1 leave as soon as chunk k of step s has arrived.
 */

export const REDUCE_SCATTER = 0;
export const ALL_GATHER = 1;
export type RingPhase = typeof REDUCE_SCATTER | typeof ALL_GATHER;

/** A half-open range of float32 elements [start, end). */
export interface Span {
  start: number;
  end: number;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Elements [start, end) of segment `segment` when `length` elements are split over `worldSize` ranks. */
export function segmentSpan(length: number, worldSize: number, segment: number): Span {
  const base = Math.floor(length / worldSize);
  const rem = length % worldSize;
  const start = segment * base + Math.min(segment, rem);
  return { start, end: start + base + (segment < rem ? 1 : 0) };
}

/** Number of steps (rounds over both phases) in one op. */
export function stepCount(worldSize: number): number {
  return 2 * (worldSize - 1);
}

/** The global step of (phase, round). */
export function stepOf(phase: RingPhase, round: number, worldSize: number): number {
  return phase === REDUCE_SCATTER ? round : worldSize - 1 + round;
}

/** The phase and round of a global step. */
export function phaseRoundOf(step: number, worldSize: number): { phase: RingPhase; round: number } {
  return step < worldSize - 1
    ? { phase: REDUCE_SCATTER, round: step }
    : { phase: ALL_GATHER, round: step - (worldSize - 1) };
}

/** The segment `rank` sends to its right neighbour at `step`. */
export function sendSegment(rank: number, step: number, worldSize: number): number {
  const { phase, round } = phaseRoundOf(step, worldSize);
  return phase === REDUCE_SCATTER ? mod(rank - round, worldSize) : mod(rank + 1 - round, worldSize);
}

/** The segment `rank` receives from its left neighbour at `step`. */
export function recvSegment(rank: number, step: number, worldSize: number): number {
  const { phase, round } = phaseRoundOf(step, worldSize);
  return phase === REDUCE_SCATTER ? mod(rank - round - 1, worldSize) : mod(rank - round, worldSize);
}

/** How many chunks of at most `chunkElems` elements a span is cut into (0 for an empty span). */
export function chunkCount(span: Span, chunkElems: number): number {
  return Math.ceil((span.end - span.start) / chunkElems);
}

/** Chunk `k` of a span. */
export function chunkSpan(span: Span, k: number, chunkElems: number): Span {
  const start = span.start + k * chunkElems;
  return { start, end: Math.min(span.end, start + chunkElems) };
}

/**
 * Sums `bufs` (one per rank, equal lengths) in place in exactly the order the ring does: segment s is
 * ((x[s] + x[s+1]) + x[s+2]) + ... + x[s+N-1] (ranks mod N), each addition rounded to float32, and every
 * buffer then receives the same bytes. The in-process collective uses it so its results match the TCP ring
 * bit for bit.
 */
export function ringOrderSum(bufs: readonly Float32Array[]): void {
  const n = bufs.length;
  if (n <= 1) return;
  const length = bufs[0].length;
  for (let s = 0; s < n; s++) {
    const { start, end } = segmentSpan(length, n, s);
    if (end === start) continue;
    const acc = bufs[s].slice(start, end);
    for (let j = 1; j < n; j++) {
      const x = bufs[(s + j) % n];
      for (let e = 0; e < acc.length; e++) acc[e] = x[start + e] + acc[e];
    }
    for (const b of bufs) b.set(acc, start);
  }
}
