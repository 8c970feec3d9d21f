/** One evaluation of the whole validation split: after `iterations` steps, this accuracy (0..1). */
export interface AccuracyPoint {
  iterations: number;
  accuracy: number;
}

/**
 * The first evaluation at which the accuracy reaches `target`: its step count, or undefined when none does. With
 * evaluations every k steps this is an upper bound, tight to within k.
 */
export function iterationsToTarget(curve: readonly AccuracyPoint[], target: number): number | undefined {
  const sorted = [...curve].sort((a, b) => a.iterations - b.iterations);
  return sorted.find((p) => p.accuracy >= target)?.iterations;
}
