/**
 * BatchMatMul for the wasm backend. The stock kernel only reaches XNNPACK for a single, untransposed product;
 * with transposeA/transposeB (every dense layer's gradient) or a batch it runs a naive loop at 1-2 GFLOP/s.
 * Here transposed operands are transposed explicitly (a fast memory pass) and a batch becomes one XNNPACK
 * product per matrix over zero-copy views.
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, callWasm } from './callKernel.js';
import { allocF32, disposeAll, disposeView, heapF32, offsetF32, viewF32 } from './heap.js';
import { wasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

/** [batch, rows, cols] of an operand, transposed to the untransposed layout when needed. */
function asBatch3d(be: tf.KernelBackend, t: tf.TensorInfo, transpose: boolean): { t: tf.TensorInfo; owned: boolean } {
  const r = t.shape.length;
  const batch = t.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const shaped = callWasm(be, 'Reshape', { x: t }, { shape: [batch, t.shape[r - 2], t.shape[r - 1]] });
  if (!transpose) return { t: shaped, owned: true };
  const tr = callWasm(be, 'Transpose', { x: shaped }, { perm: [0, 2, 1] });
  disposeAll(wasmBackend(be), shaped);
  return { t: tr, owned: true };
}

function batchMatMul(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const batchA = a.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const plain = !transposeA && !transposeB && batchA === 1 && batchB === 1;
  if (plain || a.dtype !== 'float32' || b.dtype !== 'float32' || (batchA !== batchB && batchA !== 1 && batchB !== 1)) {
    return callStock(be, 'BatchMatMul', inputs, attrs);
  }
  const wb = wasmBackend(be);
  const a3 = asBatch3d(be, a, transposeA);
  const b3 = asBatch3d(be, b, transposeB);
  const [, m, k] = a3.t.shape;
  const [, k2, n] = b3.t.shape;
  if (k !== k2) {
    disposeAll(wb, a3.t, b3.t);
    throw new Error(
      `BatchMatMul (wasm): inner dimensions differ: a [${a.shape}] (transposeA=${transposeA}), ` +
        `b [${b.shape}] (transposeB=${transposeB})`,
    );
  }
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  let out: tf.TensorInfo;
  if (batch === 1) {
    const p = callWasm(be, 'BatchMatMul', { a: a3.t, b: b3.t }, { transposeA: false, transposeB: false });
    out = callWasm(be, 'Reshape', { x: p }, { shape: [...outer, m, n] });
    disposeAll(wb, p);
  } else {
    out = allocF32(wb, [...outer, m, n]);
    for (let i = 0; i < batch; i++) {
      const av = viewF32(wb, a3.t, batchA === 1 ? 0 : i * m * k, [1, m, k]);
      const bv = viewF32(wb, b3.t, batchB === 1 ? 0 : i * k * n, [1, k, n]);
      const p = callWasm(be, 'BatchMatMul', { a: av, b: bv }, { transposeA: false, transposeB: false });
      disposeView(wb, av);
      disposeView(wb, bv);
      const heap = heapF32(wb);
      const po = offsetF32(wb, p);
      heap.copyWithin(offsetF32(wb, out) + i * m * n, po, po + m * n);
      disposeAll(wb, p);
    }
  }
  disposeAll(wb, a3.t, b3.t);
  return out;
}

export const batchMatMulConfig = wasmKernel(tf.BatchMatMul, batchMatMul);
