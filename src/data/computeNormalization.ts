import type { DatasetSplit } from './DatasetSplit.js';
import type { NormalizationStats } from './NormalizationStats.js';

/**
 * Per-channel mean and (population) standard deviation of a split's pixels scaled to [0, 1]; compute it on the
 * TRAINING split. Exact: it counts each channel's 256 byte values, then sums in float64, so it does not depend
 * on the order of the examples. A constant channel gets std 1 rather than 0 so normalising never divides by 0.
 */
export function computeNormalization(split: DatasetSplit): NormalizationStats {
  const { pixels, channels } = split;
  const histograms = Array.from({ length: channels }, () => new Float64Array(256));
  if (channels === 1) {
    const h = histograms[0];
    for (let i = 0; i < pixels.length; i++) h[pixels[i]]++;
  } else {
    for (let i = 0; i < pixels.length; i++) histograms[i % channels][pixels[i]]++;
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (const h of histograms) {
    let count = 0;
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      count += h[v];
      sum += h[v] * (v / 255);
    }
    const m = sum / count;
    let squares = 0;
    for (let v = 0; v < 256; v++) squares += h[v] * (v / 255 - m) ** 2;
    const s = Math.sqrt(squares / count);
    mean.push(m);
    std.push(s > 0 ? s : 1);
  }
  return { mean, std };
}
