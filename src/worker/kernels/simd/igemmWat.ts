/**
 * WAT of the project's GEMM microkernel, `igemm` (an indirect GEMM, as XNNPACK's): wasm SIMD128, register-blocked
 * MR x NR = 4 x 8 (8 f32x4 accumulators), one k step per loop iteration: per row one `v128.load32_splat` of A,
 * 2 loads of packed B, 8 multiply-adds (relaxed-SIMD FMA or mul + add).
 *
 *   igemm(m, n, taps, kc, aInd, aStep, bp, cInd, accumulate)
 *   for every row r < m and column j < n:
 *     C_r[j] (+)= sum_{t < taps} sum_{k < kc} f32[aInd_i32[r*taps + t] + aStep*k] * Bp(t*kc + k, j)
 *
 * All pointers and strides are in bytes into the imported memory (tfjs-backend-wasm's heap):
 * - aInd: m*taps row pointers (a plain GEMM has taps = 1; a convolution points each tap of each output pixel at
 *   its input pixel, or at a zero row for padding), each kc floats aStep bytes apart (4: contiguous; the filter
 *   gradient reads a channel of NHWC pixels, Ci*4 apart);
 * - bp: B packed into panels of NR columns, panel p at bp + p*taps*kc*NR*4, laid out [t*kc + k][NR], the last
 *   panel zero-padded (packStrided and packRows below; packB in gemm.ts);
 * - cInd: m row pointers of C (each row n contiguous floats); accumulate != 0 adds to C instead of storing.
 * The summation order is fixed (t, then k, per output), so results are bitwise reproducible.
 *
 *   igemmOff(m, n, taps, kc, aRows, aOffs, aStep, bp, cInd, accumulate)
 * is the same product with row r's tap t at aRows_i32[r] + aOffs_i32[t] (a base per row plus an offset per tap
 * shared by all rows), where the taps of every row are the same shifts: m + taps pointers instead of m*taps.
 * Rows past m in the last block repeat row m-1 and are not stored; columns past n are computed on the zero
 * padding and not stored.
 *
 * Why this shape (AMD EPYC Zen 3, Node 20; `node dist/bench/computeGemm.js` compares tiles in one run, and
 * `node --no-liftoff --print-wasm-code` shows V8's machine code): TurboFan schedules all of an iteration's loads
 * above its arithmetic, so the live vectors are accumulators + B vectors + one A broadcast per row, out of the 15
 * xmm registers it allocates (xmm15 is its scratch). 4x8 needs 8 + 2 + 4 = 14: no spills, and V8 unrolls the
 * loop itself. Unrolling k by hand (the previous kernel: 4 k steps, A loaded once per row and lane-shuffled)
 * made V8 hoist 8 B vectors and spill accumulators to the stack every iteration (measured 1.1-1.7x slower);
 * 6x8 and 5x8 tiles (more live vectors than registers) measured slower too, 2x16 about equal, 3x8 slower.
 */
import { convTableFunc } from './convTableWat.js';
import { fmaExpr } from './fmaExpr.js';

/** The built tile: rows, and f32x4 vectors of columns (NR = 4 * nv). */
const GEMM_TILE: Igemm1Options = { mr: 4, nv: 2 };
export const GEMM_NR = 4 * GEMM_TILE.nv;

/**
 * The kernels' module with the built tile: `igemm` (indirect rows), `igemmOff` (row bases + tap offsets), packRows,
 * and convTable (convTableWat.ts: a convolution's tables for igemm).
 */
export function igemmWat(relaxed: boolean): string {
  return gemmModule([
    igemmFunc(relaxed, GEMM_TILE, 'igemm'),
    igemmFunc(relaxed, { ...GEMM_TILE, addressing: 'offsets' }, 'igemmOff'),
    convTableFunc(),
  ]);
}

function gemmModule(funcs: string[]): string {
  return `(module
  (import "env" "memory" (memory 1))
  ${funcs.join('\n  ')}
  ${packRowsFunc(GEMM_NR)})
`;
}

/** Options of the one-k-step kernel (`igemm1Wat`). */
export interface Igemm1Options {
  /** rows of the register tile */
  mr: number;
  /** f32x4 vectors of B per k step: the tile has 4*nv columns */
  nv: number;
  /**
   * Where row r's tap t starts: 'indirect' (igemm: aInd[r*taps + t], one pointer per row and tap) or 'offsets'
   * (igemmOff: aRows[r] + aOffs[t], a base per row plus one offset per tap shared by all rows; see igemmWat's
   * callers: the filter gradient's row segments).
   */
  addressing?: 'indirect' | 'offsets';
}

/**
 * The kernel for an mr x 4nv tile, one k step per iteration: per row one `v128.load32_splat` of A, nv loads of
 * packed B, mr*nv multiply-adds; the k loop ends on B's pointer (no counter). Other tiles are for measuring
 * (bench/computeGemm.ts); packB and the callers follow GEMM_NR.
 */
export function igemm1Wat(relaxed: boolean, options: Igemm1Options): string {
  return gemmModule([igemmFunc(relaxed, options, 'igemm')]);
}

function igemmFunc(relaxed: boolean, { mr, nv, addressing = 'indirect' }: Igemm1Options, exportName: string): string {
  const offsets = addressing === 'offsets';
  const nr = 4 * nv;
  const rows = Array.from({ length: mr }, (_, i) => i);
  const vecs = Array.from({ length: nv }, (_, v) => v);
  const acc = (i: number, v: number): string => `$c${i}_${v}`;
  const g = (name: string): string => `(local.get ${name})`;
  const lines: string[] = [];
  const emit = (s: string): void => {
    lines.push(s);
  };
  emit(`(local.set $panelBytes (i32.mul (i32.mul ${g('$taps')} ${g('$kc')}) (i32.const ${4 * nr})))`);
  emit(`(local.set $tapBytes (i32.mul ${g('$kc')} (i32.const ${4 * nr})))`);
  emit(`(local.set $j0 (i32.const 0)) (local.set $bpj ${g('$bp')})`);
  emit(`(block $jdone (loop $jl`);
  emit(`(br_if $jdone (i32.ge_u ${g('$j0')} ${g('$n')}))`);
  emit(`(local.set $i0 (i32.const 0))`);
  emit(`(block $idone (loop $il`);
  emit(`(br_if $idone (i32.ge_u ${g('$i0')} ${g('$m')}))`);
  for (const i of rows) {
    // (row clamped to m-1: its products are computed and dropped)
    const row = `(select (i32.add ${g('$i0')} (i32.const ${i})) (i32.sub ${g('$m')} (i32.const 1)) (i32.lt_u (i32.add ${g('$i0')} (i32.const ${i})) ${g('$m')}))`;
    if (offsets) {
      // this row's base pointer
      emit(`(local.set $ai${i} (i32.load (i32.add ${g('$aRows')} (i32.shl ${row} (i32.const 2)))))`);
    } else {
      // this row's entries of the indirection table
      emit(`(local.set $ai${i} (i32.add ${g('$aInd')} (i32.shl (i32.mul ${row} ${g('$taps')}) (i32.const 2))))`);
    }
    for (const v of vecs) emit(`(local.set ${acc(i, v)} (v128.const i32x4 0 0 0 0))`);
  }
  emit(`(local.set $bptr ${g('$bpj')}) (local.set $t (i32.const 0))`);
  if (offsets) emit(`(local.set $offp ${g('$aOffs')})`);
  emit(`(block $tdone (loop $tl`);
  emit(`(br_if $tdone (i32.ge_u ${g('$t')} ${g('$taps')}))`);
  if (offsets) {
    emit(`(local.set $off (i32.load ${g('$offp')})) (local.set $offp (i32.add ${g('$offp')} (i32.const 4)))`);
    for (const i of rows) emit(`(local.set $p${i} (i32.add ${g(`$ai${i}`)} ${g('$off')}))`);
  } else {
    for (const i of rows) {
      emit(`(local.set $p${i} (i32.load ${g(`$ai${i}`)}))`);
      emit(`(local.set $ai${i} (i32.add ${g(`$ai${i}`)} (i32.const 4)))`);
    }
  }
  emit(`(local.set $bEnd (i32.add ${g('$bptr')} ${g('$tapBytes')}))`);
  emit(`(if (i32.lt_u ${g('$bptr')} ${g('$bEnd')}) (then (loop $kl`);
  for (const v of vecs) emit(`(local.set $b${v} (v128.load offset=${16 * v} ${g('$bptr')}))`);
  for (const i of rows) {
    emit(`(local.set $va (v128.load32_splat ${g(`$p${i}`)}))`);
    for (const v of vecs) emit(`(local.set ${acc(i, v)} ${fmaExpr(relaxed, g('$va'), g(`$b${v}`), g(acc(i, v)))})`);
    emit(`(local.set $p${i} (i32.add ${g(`$p${i}`)} ${g('$aStep')}))`);
  }
  emit(`(local.set $bptr (i32.add ${g('$bptr')} (i32.const ${4 * nr})))`);
  emit(`(br_if $kl (i32.lt_u ${g('$bptr')} ${g('$bEnd')})))))`);
  emit(`(local.set $t (i32.add ${g('$t')} (i32.const 1)))`);
  emit(`(br $tl)))`);
  emit(`(local.set $rem (i32.sub ${g('$n')} ${g('$j0')}))`);
  for (const i of rows) {
    emit(`(if (i32.lt_u (i32.add ${g('$i0')} (i32.const ${i})) ${g('$m')}) (then`);
    emit(
      `(local.set $c (i32.add (i32.load (i32.add ${g('$cInd')} (i32.shl (i32.add ${g('$i0')} (i32.const ${i})) ` +
        `(i32.const 2)))) (i32.shl ${g('$j0')} (i32.const 2))))`,
    );
    emit(`(if (i32.ge_u ${g('$rem')} (i32.const ${nr})) (then`);
    emit(`(if ${g('$accumulate')} (then`);
    for (const v of vecs) {
      emit(`(local.set ${acc(i, v)} (f32x4.add (v128.load offset=${16 * v} ${g('$c')}) ${g(acc(i, v))}))`);
    }
    emit(`))`);
    for (const v of vecs) emit(`(v128.store offset=${16 * v} ${g('$c')} ${g(acc(i, v))})`);
    emit(`) (else`);
    for (let lane = 0; lane < nr; lane++) {
      const val = `(f32x4.extract_lane ${lane % 4} ${g(acc(i, lane >> 2))})`;
      const off = `offset=${4 * lane}`;
      emit(
        `(if (i32.gt_u ${g('$rem')} (i32.const ${lane})) (then (if ${g('$accumulate')} ` +
          `(then (f32.store ${off} ${g('$c')} (f32.add (f32.load ${off} ${g('$c')}) ${val}))) ` +
          `(else (f32.store ${off} ${g('$c')} ${val})))))`,
      );
    }
    emit(`))))`);
  }
  emit(`(local.set $i0 (i32.add ${g('$i0')} (i32.const ${mr})))`);
  emit(`(br $il)))`);
  emit(`(local.set $j0 (i32.add ${g('$j0')} (i32.const ${nr})))`);
  emit(`(local.set $bpj (i32.add ${g('$bpj')} ${g('$panelBytes')}))`);
  emit(`(br $jl)))`);

  const i32Locals = [
    '$panelBytes',
    '$tapBytes',
    '$j0',
    '$i0',
    '$bpj',
    '$bptr',
    '$bEnd',
    '$t',
    '$rem',
    '$c',
    ...rows.map((i) => `$ai${i}`),
    ...rows.map((i) => `$p${i}`),
    ...(offsets ? ['$offp', '$off'] : []),
  ];
  const v128Locals = ['$va', ...vecs.map((v) => `$b${v}`), ...rows.flatMap((i) => vecs.map((v) => acc(i, v)))];
  const aParams = offsets ? ['$aRows', '$aOffs'] : ['$aInd'];
  const params = ['$m', '$n', '$taps', '$kc', ...aParams, '$aStep', '$bp', '$cInd', '$accumulate'];
  return `(func (export "${exportName}") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    ${i32Locals.map((l) => `(local ${l} i32)`).join(' ')}
    ${v128Locals.map((l) => `(local ${l} v128)`).join(' ')}
    ${lines.join('\n    ')})`;
}

/**
 * `packRows(k, n, rows, dst)`: B packed for igemm from k rows given by pointer (the i32 table at `rows`; each row n
 * contiguous floats, or a zero row), into panels of nr columns at dst, the last panel zero-padded. Byte pointers.
 * The filter gradient packs dy's pixels with it.
 * `packStrided(k, n, src, ldb, dst)`: the same from k rows ldb bytes apart from src (a row-major matrix; packB in
 * gemm.ts): the convolutions' filters. (In JavaScript this took 30 ms for the 6272 x 128 B of the 7x7 filter
 * gradient's swapped convolution.)
 */
function packRowsFunc(nr: number): string {
  return [
    packFunc(
      nr,
      '"packRows") (param $k i32) (param $n i32) (param $rows i32) (param $dst i32)',
      (g) => `(i32.load (i32.add ${g('$rows')} (i32.shl ${g('$r')} (i32.const 2))))`,
    ),
    packFunc(
      nr,
      '"packStrided") (param $k i32) (param $n i32) (param $src0 i32) (param $ldb i32) (param $dst i32)',
      (g) => `(i32.add ${g('$src0')} (i32.mul ${g('$r')} ${g('$ldb')}))`,
    ),
  ].join('\n  ');
}

/** A packing function: `signature` is its export name and parameters, `rowStart` the WAT of row $r's address. */
function packFunc(nr: number, signature: string, rowStart: (g: (name: string) => string) => string): string {
  const g = (name: string): string => `(local.get ${name})`;
  const vecs = Array.from({ length: nr / 4 }, (_, v) => v);
  const lanes = Array.from({ length: nr }, (_, l) => l);
  return `(func (export ${signature}
    (local $j0 i32) (local $r i32) (local $src i32) (local $rem i32)
    (block $jdone (loop $jl
      (br_if $jdone (i32.ge_u ${g('$j0')} ${g('$n')}))
      (local.set $rem (i32.sub ${g('$n')} ${g('$j0')}))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rl
        (br_if $rdone (i32.ge_u ${g('$r')} ${g('$k')}))
        (local.set $src (i32.add ${rowStart(g)} (i32.shl ${g('$j0')} (i32.const 2))))
        (if (i32.ge_u ${g('$rem')} (i32.const ${nr}))
          (then ${vecs.map((v) => `(v128.store offset=${16 * v} ${g('$dst')} (v128.load offset=${16 * v} ${g('$src')}))`).join(' ')})
          (else ${lanes
            .map(
              (l) =>
                `(f32.store offset=${4 * l} ${g('$dst')} (if (result f32) (i32.gt_u ${g('$rem')} (i32.const ${l})) ` +
                `(then (f32.load offset=${4 * l} ${g('$src')})) (else (f32.const 0))))`,
            )
            .join(' ')}))
        (local.set $dst (i32.add ${g('$dst')} (i32.const ${4 * nr})))
        (local.set $r (i32.add ${g('$r')} (i32.const 1)))
        (br $rl)))
      (local.set $j0 (i32.add ${g('$j0')} (i32.const ${nr})))
      (br $jl)))
  )`;
}
