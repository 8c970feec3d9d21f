import { SeededRng } from './SeededRng.js';
import { PERMUTATION_STREAM } from './randomStreams.js';

/**
 * The order in which epoch `epoch` visits examples 0..n-1: a Fisher–Yates permutation seeded by (seed, epoch),
 * or the identity when `shuffle` is false. Every rank computes the same permutation.
 */
export function epochPermutation(n: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffle ? SeededRng.fromParts(seed, PERMUTATION_STREAM, epoch).shuffle(order) : order;
}
