/**
 * WAT of the SIMD-peak probe: a loop of 12 independent f32x4 multiply-accumulates (no memory traffic), the
 * most a wasm SIMD128 kernel can reach on one thread. `peak(n)` runs n iterations = n * 12 * 8 FLOPs.
 */
import { fmaExpr } from './fmaExpr.js';

const ACCUMULATORS = 12;

export const PEAK_FLOPS_PER_ITERATION = ACCUMULATORS * 8;

export function simdPeakWat(relaxed: boolean): string {
  const acc = Array.from({ length: ACCUMULATORS }, (_, i) => `$a${i}`);
  const sum = acc.slice(1).reduce((s, a) => `(f32x4.add ${s} (local.get ${a}))`, `(local.get ${acc[0]})`);
  return `(module
  (func (export "peak") (param $n i32) (result f32)
    (local $x v128) (local $y v128) ${acc.map((a) => `(local ${a} v128)`).join(' ')}
    (local.set $x (f32x4.splat (f32.const 1.0000001)))
    (local.set $y (f32x4.splat (f32.const 0.9999999)))
    (loop $l
      ${acc.map((a) => `(local.set ${a} ${fmaExpr(relaxed, '(local.get $x)', '(local.get $y)', `(local.get ${a})`)})`).join('\n      ')}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (f32x4.extract_lane 0 ${sum})))
`;
}
