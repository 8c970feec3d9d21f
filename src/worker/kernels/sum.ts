/**
 * Sum for the wasm backend: over all-but-the-channels (bias and BatchNorm gradients) or over H,W as a mean
 * from XNNPACK average pooling times the count; anything else goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, callWasm } from './callKernel.js';
import { disposeAll, uploadF32 } from './heap.js';
import { pooledMean, withKeptDims } from './mean.js';
import { wasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

function sum(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
  const r = pooledMean(be, x, axis);
  if (!r) return callStock(be, 'Sum', inputs, attrs);
  const wb = wasmBackend(be);
  const count = uploadF32(wb, new Float32Array([r.axes.reduce((p, a) => p * x.shape[a], 1)]), []);
  const s = callWasm(be, 'Multiply', { a: r.m, b: count });
  disposeAll(wb, r.m, count);
  return withKeptDims(be, s, x, r.axes, keepDims);
}

export const sumConfig = wasmKernel(tf.Sum, sum);
