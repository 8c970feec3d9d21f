/**
 * Sum for the wasm backend: over all-but-the-channels (bias and BatchNorm gradients) or over H,W as a mean
 * from XNNPACK average pooling times the count; anything else goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import {callStock, callWasm} from './callKernel.js';
import {disposeAll, uploadF32} from './heap.js';
import {keptShape} from './mean.js';
import {isLeadingAxes, isSpatialAxes, meanOverLeadingAxes, meanOverSpatialAxes, normaliseAxes} from './poolMean.js';
import {wasmBackend} from './wasmBackend.js';

function sum(args: {inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap}):
    tf.TensorInfo | tf.TensorInfo[] {
  const {inputs, backend: be, attrs} = args;
  const {x} = inputs as unknown as {x: tf.TensorInfo};
  const {axis, keepDims} = attrs as unknown as tf.SumAttrs;
  const rank = x.shape.length;
  const axes = normaliseAxes(axis, rank);
  const leading = isLeadingAxes(axes, rank) && x.shape[rank - 1] > 1;
  const spatial = isSpatialAxes(axes, rank);
  if (x.dtype !== 'float32' || (!leading && !spatial) || tf.util.sizeFromShape(x.shape) === 0) {
    return callStock(be, 'Sum', inputs, attrs);
  }
  const wb = wasmBackend(be);
  const m = leading ? meanOverLeadingAxes(be, x) : meanOverSpatialAxes(be, x);
  const count = uploadF32(wb, new Float32Array([axes.reduce((p, a) => p * x.shape[a], 1)]), []);
  const s = callWasm(be, 'Multiply', {a: m, b: count});
  disposeAll(wb, m, count);
  if (!keepDims) return s;
  const out = callWasm(be, 'Reshape', {x: s}, {shape: keptShape(x.shape, axes)});
  disposeAll(wb, s);
  return out;
}

export const sumConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: sum as tf.KernelFunc,
};
