/**
 * The ring's reduce-scatter sum as a WebAssembly SIMD128 module (WAT, compiled by src/worker/buildWasm.ts at build
 * time): add(dst, src, bytes) does dst[i] = dst[i] + src[i] over `bytes` (a multiple of 16) of float32 at byte
 * offsets dst and src of its own memory, four lanes per f32x4.add. Each lane is one IEEE float32 addition, the
 * same bits as JavaScript's float32 store of the double sum (a double holds every sum of two floats exactly
 * enough: no double rounding), in the same operand order as ringOrderSum.
 */

/** Bytes of one operand block in the module's memory: the target block at 0, the source block after it. */
export const FLOAT32_SUM_BLOCK_BYTES = 1024 * 1024;

/** Name of the built module, beside the compiled float32Sum.js. */
export const FLOAT32_SUM_WASM = 'float32Sum.wasm';

export function float32SumWat(): string {
  const pages = (2 * FLOAT32_SUM_BLOCK_BYTES) / 65536;
  return `(module
  (memory (export "memory") ${pages} ${pages})
  (func (export "add") (param $dst i32) (param $src i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $next)))))`;
}
