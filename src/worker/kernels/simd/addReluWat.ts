/**
 * WAT of the fused residual add + ReLU (one pass each way, SIMD; n is a count of floats, a multiple of 4; bytes):
 *   addRelu(a, b, n, y)       y  = max(a + b, 0)
 *   reluGrad(dy, y, n, dx)    dx = dy where y > 0, else 0 (tfjs' ReLU gradient, read from the output)
 */
export function addReluWat(): string {
  const loop = (body: string): string => `(local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $o (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      ${body}
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $l)))`;
  const at = (p: string): string => `(i32.add (local.get ${p}) (local.get $o))`;
  return `(module
  (import "env" "memory" (memory 1))
  (func (export "addRelu") (param $a i32) (param $b i32) (param $n i32) (param $y i32) (local $o i32) (local $end i32)
    ${loop(`(v128.store ${at('$y')} (f32x4.max (f32x4.add (v128.load ${at('$a')}) (v128.load ${at('$b')}))
        (v128.const i32x4 0 0 0 0)))`)})
  (func (export "reluGrad") (param $dy i32) (param $y i32) (param $n i32) (param $dx i32) (local $o i32) (local $end i32)
    ${loop(`(v128.store ${at('$dx')} (v128.and (v128.load ${at('$dy')})
        (f32x4.gt (v128.load ${at('$y')}) (v128.const i32x4 0 0 0 0))))`)}))
`;
}
