/**
 * WAT of the fused batch-normalisation passes (training mode, channels last, x viewed as [n, c], c a multiple of 4):
 * each function is one pass over the activation, SIMD over the channels. Column sums go through a per-block
 * accumulator (BN_BLOCK_ROWS rows) added into the total, so float32 rounding grows with the block and the number of
 * blocks, not with n; the order is fixed, so results are bitwise reproducible. All pointers are bytes.
 *
 *   colSums(x, n, c, out, blk)                    out[j]  = sum_r x[r,j]
 *   sqDevSums(x, n, c, mean, out, blk)            out[j]  = sum_r (x[r,j] - mean[j])^2
 *   gradSums(dy, x, n, c, mean, o1, o2, b1, b2)   o1[j]   = sum_r dy[r,j];  o2[j] = sum_r dy[r,j] (x[r,j] - mean[j])
 *   normalize(x, n, c, mean, a, b, y)             y[r,j]  = (x[r,j] - mean[j]) a[j] + b[j]
 *   normalizeGrad(dy, x, n, c, mean, a, k, m, dx) dx[r,j] = a[j] (dy[r,j] - m[j] - (x[r,j] - mean[j]) k[j])
 * and ReLU-fused forms of the last three (a ReLU after the normalisation): normalizeRelu takes max(y, 0);
 * gradSumsRelu(dy, x, n, c, mean, a, b, ...) and normalizeGradRelu(dy, x, n, c, mean, a, b, k, m, dx) read dy as 0
 * wherever the normalised value (x - mean) a + b, recomputed, is not > 0 (tfjs' ReLU gradient).
 */
const BN_BLOCK_ROWS = 64;

/** A loop over rows r < n (local $r), and within it over channel vectors (local $j, byte offset $o = 4j). */
function rowsTimesChannels(body: string, perRowEnd = ''): string {
  return `(local.set $r (i32.const 0))
    (block $rdone (loop $rl
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $o (i32.const 0))
      (block $jdone (loop $jl
        (br_if $jdone (i32.ge_u (local.get $o) (local.get $cb)))
        ${body}
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $jl)))
      ${perRowEnd}
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))`;
}

/** Zero `len` bytes at `p`. */
const zero = (p: string): string => `(memory.fill ${p} (i32.const 0) (local.get $cb))`;

/** Add block accumulator `blk` into `out` and zero it, every BN_BLOCK_ROWS rows and after the last row. */
function flush(pairs: Array<[string, string]>): string {
  const add = pairs
    .map(
      ([blk, out]) => `
        (local.set $o (i32.const 0))
        (block $fdone (loop $fl
          (br_if $fdone (i32.ge_u (local.get $o) (local.get $cb)))
          (v128.store (i32.add ${out} (local.get $o)) (f32x4.add (v128.load (i32.add ${out} (local.get $o)))
            (v128.load (i32.add ${blk} (local.get $o)))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br $fl)))
        ${zero(blk)}`,
    )
    .join('');
  return `(if (i32.or (i32.eq (i32.rem_u (i32.add (local.get $r) (i32.const 1)) (i32.const ${BN_BLOCK_ROWS})) (i32.const 0))
        (i32.eq (i32.add (local.get $r) (i32.const 1)) (local.get $n))) (then ${add}))`;
}

const at = (base: string): string => `(i32.add ${base} (local.get $o))`;
const rowAt = (base: string): string =>
  `(i32.add ${base} (i32.add (i32.mul (local.get $r) (local.get $cb)) (local.get $o)))`;
const locals = '(local $r i32) (local $o i32) (local $cb i32) (local $d v128)';
const dev = (x: string): string => `(f32x4.sub (v128.load ${rowAt(x)}) (v128.load ${at('(local.get $mean)')}))`;
const setCb = '(local.set $cb (i32.shl (local.get $c) (i32.const 2)))';

export function batchNormWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  ${functions(false)}
  ${functions(true)})
`;
}

function functions(relu: boolean): string {
  const g = (n: string): string => `(local.get ${n})`;
  const suffix = relu ? 'Relu' : '';
  const abParams = relu ? '(param $a i32) (param $b i32)' : '';
  /** dy at the current element, zeroed where the recomputed normalised value is not > 0 (ReLU forms). */
  const dyAt = (dy: string): string =>
    !relu
      ? `(v128.load ${rowAt(dy)})`
      : `(v128.and (v128.load ${rowAt(dy)}) (f32x4.gt (f32x4.add (f32x4.mul ${dev(g('$x'))} (v128.load ${at(g('$a'))}))
        (v128.load ${at(g('$b'))})) (v128.const i32x4 0 0 0 0)))`;
  const accumulate = (blk: string, v: string): string =>
    `(v128.store ${at(blk)} (f32x4.add (v128.load ${at(blk)}) ${v}))`;
  const normalized = `(f32x4.add (f32x4.mul ${dev(g('$x'))} (v128.load ${at(g('$a'))})) (v128.load ${at(g('$b'))}))`;
  const plain = relu
    ? ''
    : `
  (func (export "colSums") (param $x i32) (param $n i32) (param $c i32) (param $out i32) (param $blk i32) ${locals}
    ${setCb} ${zero(g('$out'))} ${zero(g('$blk'))}
    ${rowsTimesChannels(accumulate(g('$blk'), `(v128.load ${rowAt(g('$x'))})`), flush([[g('$blk'), g('$out')]]))})
  (func (export "sqDevSums") (param $x i32) (param $n i32) (param $c i32) (param $mean i32) (param $out i32)
      (param $blk i32) ${locals}
    ${setCb} ${zero(g('$out'))} ${zero(g('$blk'))}
    ${rowsTimesChannels(
      `(local.set $d ${dev(g('$x'))}) ${accumulate(g('$blk'), '(f32x4.mul (local.get $d) (local.get $d))')}`,
      flush([[g('$blk'), g('$out')]]),
    )})`;
  return `${plain}
  (func (export "gradSums${suffix}") (param $dy i32) (param $x i32) (param $n i32) (param $c i32) (param $mean i32)
      ${abParams} (param $o1 i32) (param $o2 i32) (param $b1 i32) (param $b2 i32) ${locals} (local $e v128)
    ${setCb} ${zero(g('$o1'))} ${zero(g('$o2'))} ${zero(g('$b1'))} ${zero(g('$b2'))}
    ${rowsTimesChannels(
      `(local.set $e ${dyAt(g('$dy'))}) ${accumulate(g('$b1'), '(local.get $e)')}
        ${accumulate(g('$b2'), `(f32x4.mul (local.get $e) ${dev(g('$x'))})`)}`,
      flush([
        [g('$b1'), g('$o1')],
        [g('$b2'), g('$o2')],
      ]),
    )})
  (func (export "normalize${suffix}") (param $x i32) (param $n i32) (param $c i32) (param $mean i32) (param $a i32)
      (param $b i32) (param $y i32) ${locals}
    ${setCb}
    ${rowsTimesChannels(`(v128.store ${rowAt(g('$y'))} ${relu ? `(f32x4.max ${normalized} (v128.const i32x4 0 0 0 0))` : normalized})`)})
  (func (export "normalizeGrad${suffix}") (param $dy i32) (param $x i32) (param $n i32) (param $c i32) (param $mean i32)
      ${relu ? abParams : '(param $a i32)'} (param $k i32) (param $m i32) (param $dx i32) ${locals}
    ${setCb}
    ${rowsTimesChannels(`(v128.store ${rowAt(g('$dx'))} (f32x4.mul (v128.load ${at(g('$a'))})
        (f32x4.sub (f32x4.sub ${dyAt(g('$dy'))} (v128.load ${at(g('$m'))}))
          (f32x4.mul ${dev(g('$x'))} (v128.load ${at(g('$k'))})))))`)})`;
}
