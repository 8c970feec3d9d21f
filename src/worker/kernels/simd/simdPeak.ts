/** The measured SIMD peak of this thread: GFLOP/s of the register-blocked loop in simdPeakWat.ts, best of `repeats`. */
import { simdModule } from './loadSimd.js';
import { PEAK_FLOPS_PER_ITERATION } from './simdPeakWat.js';
import type { SimdFlavour } from './wasmFiles.js';

export function measureSimdPeakGflops(flavour: SimdFlavour, iterations = 20_000_000, repeats = 5): number {
  const inst = new WebAssembly.Instance(simdModule('simdPeak', flavour), {});
  const peak = inst.exports.peak as (n: number) => number;
  peak(100_000); // tier up to optimised code before timing
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    peak(iterations);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (iterations * PEAK_FLOPS_PER_ITERATION) / s / 1e9);
  }
  return best;
}
