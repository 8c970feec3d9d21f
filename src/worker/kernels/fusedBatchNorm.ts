/**
 * FusedBatchNorm (inference-style normalisation with given statistics; also what tf.batchNorm runs in
 * training) for the wasm backend: the per-channel affine map a = scale/sqrt(var+eps), b = offset - mean*a is
 * folded in JS, then y = x*a + b is two broadcasting XNNPACK passes (stock kernel: ~1.2 GB/s).
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, callWasm } from './callKernel.js';
import { disposeAll, heapF32, offsetF32, uploadF32 } from './heap.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

function perChannel(wb: WasmBackend, t: tf.TensorInfo | undefined, c: number, fallback: number): Float32Array | null {
  if (t == null) return new Float32Array(c).fill(fallback);
  if (t.dtype !== 'float32' || tf.util.sizeFromShape(t.shape) !== c || t.shape.slice(0, -1).some((d) => d !== 1)) {
    return null;
  }
  const o = offsetF32(wb, t);
  return heapF32(wb).slice(o, o + c);
}

function fusedBatchNorm(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { x, mean, variance, offset, scale } = inputs as unknown as Record<string, tf.TensorInfo | undefined>;
  const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
  if (x == null || mean == null || variance == null || x.dtype !== 'float32') {
    return callStock(be, 'FusedBatchNorm', inputs, attrs);
  }
  const wb = wasmBackend(be);
  const c = x.shape[x.shape.length - 1];
  const m = perChannel(wb, mean, c, 0);
  const v = perChannel(wb, variance, c, 1);
  const g = perChannel(wb, scale, c, 1);
  const o = perChannel(wb, offset, c, 0);
  if (m == null || v == null || g == null || o == null) return callStock(be, 'FusedBatchNorm', inputs, attrs);
  const a = new Float32Array(c);
  const b = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    a[i] = g[i] / Math.sqrt(v[i] + varianceEpsilon);
    b[i] = o[i] - m[i] * a[i];
  }
  const at = uploadF32(wb, a, [c]);
  const bt = uploadF32(wb, b, [c]);
  const xa = callWasm(be, 'Multiply', { a: x, b: at });
  const y = callWasm(be, 'Add', { a: xa, b: bt });
  disposeAll(wb, at, bt, xa);
  return y;
}

export const fusedBatchNormConfig = wasmKernel(tf.FusedBatchNorm, fusedBatchNorm);
