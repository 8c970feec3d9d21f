/**
 * WAT of the project's GEMM microkernel, `igemm` (an indirect GEMM, as XNNPACK's): wasm SIMD128, register-blocked
 * MR x NR = 4 x 8 (8 f32x4 accumulators, 2 B vectors, 4 A vectors, 1 broadcast: 15 of the 16 xmm registers V8
 * has on x64), k unrolled by 4: one v128 load of A per row feeds 4 k steps through lane shuffles.
 *
 *   igemm(m, n, taps, kc, aInd, bp, cInd, accumulate)
 *   for every row r < m and column j < n:
 *     C_r[j] (+)= sum_{t < taps} sum_{k < kc} f32[aInd_i32[r*taps + t] + 4k] * Bp(t*kc + k, j)
 *
 * All pointers and strides are in bytes into the imported memory (tfjs-backend-wasm's heap):
 * - aInd: m*taps row pointers (a plain GEMM has taps = 1; a convolution points each tap of each output pixel at
 *   its input pixel, or at a zero row for padding), each kc contiguous floats;
 * - bp: B packed into panels of NR columns, panel p at bp + p*taps*kc*NR*4, laid out [t*kc + k][NR], the last
 *   panel zero-padded (see packB in gemm.ts);
 * - cInd: m row pointers of C (each row n contiguous floats); accumulate != 0 adds to C instead of storing.
 * The summation order is fixed (t, then k, per output), so results are bitwise reproducible.
 * Rows past m in the last block repeat row m-1 and are not stored; columns past n are computed on the zero
 * padding and not stored.
 */
import { fmaExpr } from './fmaExpr.js';

export const GEMM_MR = 4;
export const GEMM_NR = 8;

/**
 * The kernel's WAT. The other shapes it can generate (`aLoad` 'splat': one load32_splat per row and k instead of
 * the shuffles; other `mr`; `unroll` 1 or 2) measured slower here (AMD EPYC, Node 20: V8 spills registers once
 * more than ~15 vectors are live), and are kept for measuring on other machines.
 */
export function igemmWat(relaxed: boolean, aLoad: 'shuffle' | 'splat' = 'shuffle', mr = GEMM_MR, unroll = 4): string {
  if (unroll === 1) aLoad = 'splat';
  const rows = Array.from({ length: mr }, (_, i) => i);
  const halves = [0, 1];
  const acc = (i: number, h: number): string => `$c${i}_${h}`;
  const g = (name: string): string => `(local.get ${name})`;
  const lines: string[] = [];
  const emit = (s: string): void => {
    lines.push(s);
  };

  emit(`(local.set $panelBytes (i32.shl (i32.mul ${g('$taps')} ${g('$kc')}) (i32.const 5)))`);
  emit(`(local.set $j0 (i32.const 0)) (local.set $bpj ${g('$bp')})`);
  emit(`(block $jdone (loop $jl`);
  emit(`(br_if $jdone (i32.ge_u ${g('$j0')} ${g('$n')}))`);
  emit(`(local.set $i0 (i32.const 0))`);
  emit(`(block $idone (loop $il`);
  emit(`(br_if $idone (i32.ge_u ${g('$i0')} ${g('$m')}))`);
  for (const i of rows) {
    // row index clamped to m-1 (its products are computed and dropped)
    emit(
      `(local.set $r${i} (select (i32.add ${g('$i0')} (i32.const ${i})) (i32.sub ${g('$m')} (i32.const 1)) ` +
        `(i32.lt_u (i32.add ${g('$i0')} (i32.const ${i})) ${g('$m')})))`,
    );
    for (const h of halves) emit(`(local.set ${acc(i, h)} (v128.const i32x4 0 0 0 0))`);
  }
  emit(`(local.set $bptr ${g('$bpj')}) (local.set $t (i32.const 0))`);
  emit(`(block $tdone (loop $tl`);
  emit(`(br_if $tdone (i32.ge_u ${g('$t')} ${g('$taps')}))`);
  for (const i of rows) {
    emit(
      `(local.set $p${i} (i32.load (i32.add ${g('$aInd')} (i32.shl (i32.add (i32.mul ${g(`$r${i}`)} ${g('$taps')}) ` +
        `${g('$t')}) (i32.const 2)))))`,
    );
  }
  // main loop: 4 k at a time, one v128 load of A per row, lanes broadcast by shuffles (XNNPACK's "splat" form)
  const splatLane = (v: string, lane: number): string => {
    const bytes = Array.from({ length: 16 }, (_, b) => 4 * lane + (b % 4));
    return `(i8x16.shuffle ${bytes.join(' ')} ${v} ${v})`;
  };
  emit(`(local.set $k ${g('$kc')})`);
  emit(`(block $k4done (loop $k4l`);
  emit(`(br_if $k4done (i32.lt_u ${g('$k')} (i32.const ${unroll})))`);
  const qLoad = unroll === 4 ? 'v128.load' : 'v128.load64_splat';
  if (aLoad === 'shuffle') for (const i of rows) emit(`(local.set $q${i} (${qLoad} ${g(`$p${i}`)}))`);
  for (let u = 0; u < unroll; u++) {
    emit(
      `(local.set $b0 (v128.load offset=${32 * u} ${g('$bptr')})) ` +
        `(local.set $b1 (v128.load offset=${32 * u + 16} ${g('$bptr')}))`,
    );
    for (const i of rows) {
      emit(
        `(local.set $va ${aLoad === 'shuffle' ? splatLane(g(`$q${i}`), u) : `(v128.load32_splat offset=${4 * u} ${g(`$p${i}`)})`})`,
      );
      for (const h of halves) emit(`(local.set ${acc(i, h)} ${fmaExpr(relaxed, g('$va'), g(`$b${h}`), g(acc(i, h)))})`);
    }
  }
  for (const i of rows) emit(`(local.set $p${i} (i32.add ${g(`$p${i}`)} (i32.const ${4 * unroll})))`);
  emit(`(local.set $bptr (i32.add ${g('$bptr')} (i32.const ${32 * unroll})))`);
  emit(`(local.set $k (i32.sub ${g('$k')} (i32.const ${unroll})))`);
  emit(`(br $k4l)))`);
  // remainder: one k at a time
  emit(`(block $kdone (loop $kl`);
  emit(`(br_if $kdone (i32.eqz ${g('$k')}))`);
  emit(`(local.set $b0 (v128.load ${g('$bptr')})) (local.set $b1 (v128.load offset=16 ${g('$bptr')}))`);
  for (const i of rows) {
    emit(`(local.set $va (v128.load32_splat ${g(`$p${i}`)}))`);
    for (const h of halves) emit(`(local.set ${acc(i, h)} ${fmaExpr(relaxed, g('$va'), g(`$b${h}`), g(acc(i, h)))})`);
    emit(`(local.set $p${i} (i32.add ${g(`$p${i}`)} (i32.const 4)))`);
  }
  emit(`(local.set $bptr (i32.add ${g('$bptr')} (i32.const 32)))`);
  emit(`(local.set $k (i32.sub ${g('$k')} (i32.const 1)))`);
  emit(`(br $kl)))`);
  emit(`(local.set $t (i32.add ${g('$t')} (i32.const 1)))`);
  emit(`(br $tl)))`);
  emit(`(local.set $rem (i32.sub ${g('$n')} ${g('$j0')}))`);
  for (const i of rows) {
    emit(`(if (i32.lt_u (i32.add ${g('$i0')} (i32.const ${i})) ${g('$m')}) (then`);
    emit(
      `(local.set $c (i32.add (i32.load (i32.add ${g('$cInd')} (i32.shl (i32.add ${g('$i0')} (i32.const ${i})) ` +
        `(i32.const 2)))) (i32.shl ${g('$j0')} (i32.const 2))))`,
    );
    emit(`(if (i32.ge_u ${g('$rem')} (i32.const 8)) (then`);
    emit(`(if ${g('$accumulate')} (then`);
    for (const h of halves) {
      emit(`(local.set ${acc(i, h)} (f32x4.add (v128.load offset=${16 * h} ${g('$c')}) ${g(acc(i, h))}))`);
    }
    emit(`))`);
    for (const h of halves) emit(`(v128.store offset=${16 * h} ${g('$c')} ${g(acc(i, h))})`);
    emit(`) (else`);
    for (let lane = 0; lane < GEMM_NR; lane++) {
      const v = `(f32x4.extract_lane ${lane % 4} ${g(acc(i, lane >> 2))})`;
      const off = `offset=${4 * lane}`;
      emit(
        `(if (i32.gt_u ${g('$rem')} (i32.const ${lane})) (then (if ${g('$accumulate')} ` +
          `(then (f32.store ${off} ${g('$c')} (f32.add (f32.load ${off} ${g('$c')}) ${v}))) ` +
          `(else (f32.store ${off} ${g('$c')} ${v})))))`,
      );
    }
    emit(`))))`);
  }
  emit(`(local.set $i0 (i32.add ${g('$i0')} (i32.const ${mr})))`);
  emit(`(br $il)))`);
  emit(`(local.set $j0 (i32.add ${g('$j0')} (i32.const ${GEMM_NR})))`);
  emit(`(local.set $bpj (i32.add ${g('$bpj')} ${g('$panelBytes')}))`);
  emit(`(br $jl)))`);

  const i32Locals = [
    '$panelBytes',
    '$j0',
    '$i0',
    '$bpj',
    '$bptr',
    '$t',
    '$k',
    '$rem',
    '$c',
    ...rows.map((i) => `$r${i}`),
    ...rows.map((i) => `$p${i}`),
  ];
  const v128Locals = [
    '$va',
    '$b0',
    '$b1',
    ...rows.map((i) => `$q${i}`),
    ...rows.flatMap((i) => halves.map((h) => acc(i, h))),
  ];
  const params = ['$m', '$n', '$taps', '$kc', '$aInd', '$bp', '$cInd', '$accumulate'];
  return `(module
  (import "env" "memory" (memory 1))
  (func (export "igemm") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    ${i32Locals.map((l) => `(local ${l} i32)`).join(' ')}
    ${v128Locals.map((l) => `(local ${l} v128)`).join(' ')}
    ${lines.join('\n    ')}))
`;
}
