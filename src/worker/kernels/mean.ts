/**
 * Mean for the wasm backend: over all-but-the-channels (BatchNorm statistics) or over H,W (global average
 * pooling) through XNNPACK average pooling (~10x faster than the stock kernel, which transposes first);
 * anything else goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, callWasm } from './callKernel.js';
import { disposeAll } from './heap.js';
import { isLeadingAxes, isSpatialAxes, meanOverLeadingAxes, meanOverSpatialAxes, normaliseAxes } from './poolMean.js';
import { wasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

/** The reduction's output shape with keepDims. */
function keptShape(shape: number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * The mean of float32 `x` over `axis` through average pooling, when the axes are the leading ones (all but the
 * channels) or the spatial ones; undefined when that fast path does not apply. Shared by Mean and Sum.
 */
export function pooledMean(
  be: tf.KernelBackend,
  x: tf.TensorInfo,
  axis: number | number[],
): { m: tf.TensorInfo; axes: number[] } | undefined {
  const rank = x.shape.length;
  const axes = normaliseAxes(axis, rank);
  const leading = isLeadingAxes(axes, rank) && x.shape[rank - 1] > 1;
  if (x.dtype !== 'float32' || (!leading && !isSpatialAxes(axes, rank)) || tf.util.sizeFromShape(x.shape) === 0) {
    return undefined;
  }
  return { m: leading ? meanOverLeadingAxes(be, x) : meanOverSpatialAxes(be, x), axes };
}

/** `t` (the reduction of `x` over `axes`) reshaped to keep the reduced dimensions when asked; takes `t` over. */
export function withKeptDims(
  be: tf.KernelBackend,
  t: tf.TensorInfo,
  x: tf.TensorInfo,
  axes: number[],
  keepDims: boolean,
): tf.TensorInfo {
  if (!keepDims) return t;
  const out = callWasm(be, 'Reshape', { x: t }, { shape: keptShape(x.shape, axes) });
  disposeAll(wasmBackend(be), t);
  return out;
}

function mean(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  const { axis, keepDims } = attrs as unknown as tf.MeanAttrs;
  const r = pooledMean(be, x, axis);
  if (!r) return callStock(be, 'Mean', inputs, attrs);
  return withKeptDims(be, r.m, x, r.axes, keepDims);
}

export const meanConfig = wasmKernel(tf.Mean, mean);
