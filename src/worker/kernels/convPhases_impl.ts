/**
 * Index math for strided convolution gradients, split by stride phase. Pure functions, no tensors.
 *
 * Forward (one spatial axis): y[o] = sum_k xpad[s*o + k] * w[k], with x[h] = xpad[h + padBefore].
 */

/** A filter tap that feeds one output phase, and the dy offset it reads at. */
export interface PhaseTap {
  /** Filter index along the axis. */
  tap: number;
  /** dx[s*m + r] reads dy[m + offset] through this tap. */
  offset: number;
}

/**
 * For each input phase r in [0, s): the taps k with (r + padBefore - k) divisible by s, each reading
 * dy[m + (r + padBefore - k) / s] for dx[s*m + r]. A phase may have no taps (e.g. 1x1 filters, stride 2).
 */
export function inputPhaseTaps(filterSize: number, stride: number, padBefore: number): PhaseTap[][] {
  const phases: PhaseTap[][] = [];
  for (let r = 0; r < stride; r++) {
    const taps: PhaseTap[] = [];
    for (let k = 0; k < filterSize; k++) {
      const num = r + padBefore - k;
      if (((num % stride) + stride) % stride === 0) taps.push({ tap: k, offset: num / stride });
    }
    phases.push(taps);
  }
  return phases;
}

/** Smallest and largest dy offset over a set of taps. */
export function offsetRange(taps: PhaseTap[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const t of taps) {
    min = Math.min(min, t.offset);
    max = Math.max(max, t.offset);
  }
  return { min, max };
}

/**
 * Padding of dy (before, after) so that a stride-1 correlation with offsets [min, max] yields `outLen`
 * outputs from `dyLen` rows: before = -min, after = outLen + max - dyLen. Negative values mean "crop".
 */
export function phasePadding(range: { min: number; max: number }, outLen: number, dyLen: number): [number, number] {
  return [-range.min, outLen + range.max - dyLen];
}
