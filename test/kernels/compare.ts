/** Shared helpers for the kernel tests: seeded data, running a computation on one backend, comparing. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../../src/worker/kernels/index.js';
import { relaxedSimdSupported } from '../../src/worker/kernels/simd/loadSimd.js';
import type { SimdFlavour } from '../../src/worker/kernels/simd/wasmFiles.js';
import { wasmBackend, type WasmBackend } from '../../src/worker/kernels/wasmBackend.js';

/** Deterministic uniform values in [-0.5, 0.5). */
export function seeded(n: number, seed: number): Float32Array {
  let s = (seed * 2654435761) >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seeded(tf.util.sizeFromShape(shape), seed), shape);
}

/** Run `fn` on `backend` (wasm gets the custom kernels) and return its results as plain arrays. */
export async function on(
  backend: 'cpu' | 'wasm',
  fn: () => tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backend);
  await tf.ready();
  if (backend === 'wasm') registerWasmKernels();
  const out = tf.tidy(fn);
  const values = out.map((t) => t.dataSync() as Float32Array);
  const shapes = out.map((t) => t.shape);
  tf.dispose(out);
  return { values, shapes };
}

/** max |a - b| / max |b| (0 when both are all zero). */
export function relErr(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return Infinity;
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return m === 0 ? d : d / m;
}

/** Run on cpu and on wasm; return the worst relative error over the outputs (shapes must agree). */
export async function compareBackends(fn: () => tf.Tensor[]): Promise<number> {
  const ref = await on('cpu', fn);
  const got = await on('wasm', fn);
  let worst = 0;
  ref.values.forEach((r, i) => {
    if (ref.shapes[i].join() !== got.shapes[i].join()) {
      throw new Error(`output ${i}: shape [${got.shapes[i]}] on wasm, [${ref.shapes[i]}] on cpu`);
    }
    worst = Math.max(worst, relErr(got.values[i], r));
  });
  return worst;
}

/** The wasm backend, ready, with the project's kernels registered. */
export async function wasmWithKernels(): Promise<WasmBackend> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmKernels();
  return wasmBackend(tf.backend());
}

/** The GEMM's SIMD flavours this runtime has: both, or plain SIMD128 alone (saying so) where relaxed SIMD is missing. */
export function simdFlavours(): SimdFlavour[] {
  if (relaxedSimdSupported()) return ['simd', 'relaxed'];
  console.log('relaxed SIMD is not available in this runtime: testing the plain SIMD128 kernels only');
  return ['simd'];
}
