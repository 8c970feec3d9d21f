/**
 * Means over axes computed with XNNPACK average pooling (NHWC, vectorised over the channels), instead of the
 * stock Sum/Mean kernels, which transpose first when the reduced axes are not the innermost ones.
 */
import type * as tf from '@tensorflow/tfjs';
import { callWasm } from './callKernel.js';
import { disposeAll } from './heap.js';
import { wasmBackend } from './wasmBackend.js';

/** The normalised, sorted axes a reduction names (negative axes count from the end). */
export function normaliseAxes(axis: number | number[], rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
}

/** Axes [0, rank-1): everything but the channels. */
export function isLeadingAxes(axes: number[], rank: number): boolean {
  return rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
}

/** Axes [1, 2] of a rank-4 tensor: the spatial axes of NHWC. */
export function isSpatialAxes(axes: number[], rank: number): boolean {
  return rank === 4 && axes.length === 2 && axes[0] === 1 && axes[1] === 2;
}

function avgPool(be: tf.KernelBackend, x: tf.TensorInfo, fh: number, fw: number): tf.TensorInfo {
  return callWasm(be, 'AvgPool', { x }, {
    filterSize: [fh, fw],
    strides: [fh, fw],
    pad: 'valid',
    dimRoundingMode: undefined,
  } as unknown as tf.NamedAttrMap);
}

/** Mean over all axes but the last: [..., C] -> [C]. */
export function meanOverLeadingAxes(be: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  const wb = wasmBackend(be);
  const c = x.shape[x.shape.length - 1];
  const rows = x.shape.slice(0, -1).reduce((p, q) => p * q, 1);
  let pooled: tf.TensorInfo;
  if (x.shape.length === 4 && x.shape[0] > 1 && x.shape[1] * x.shape[2] > 1) {
    const [b, h, w] = x.shape;
    const perImage = avgPool(be, x, h, w); // [B,1,1,C]
    const r = callWasm(be, 'Reshape', { x: perImage }, { shape: [1, b, 1, c] });
    disposeAll(wb, perImage);
    pooled = avgPool(be, r, b, 1);
    disposeAll(wb, r);
  } else {
    const r = callWasm(be, 'Reshape', { x }, { shape: [1, rows, 1, c] });
    pooled = avgPool(be, r, rows, 1);
    disposeAll(wb, r);
  }
  const out = callWasm(be, 'Reshape', { x: pooled }, { shape: [c] });
  disposeAll(wb, pooled);
  return out;
}

/** Mean over H and W of NHWC: [B,H,W,C] -> [B,C]. */
export function meanOverSpatialAxes(be: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  const wb = wasmBackend(be);
  const [b, h, w, c] = x.shape;
  const pooled = avgPool(be, x, h, w);
  const out = callWasm(be, 'Reshape', { x: pooled }, { shape: [b, c] });
  disposeAll(wb, pooled);
  return out;
}
