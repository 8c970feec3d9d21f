/**
 * Conv2DBackpropInput (dx of a conv2d) for the wasm backend as forward XNNPACK convolutions of dy.
 *
 * The stock kernel runs ~1.8 GFLOP/s; this one runs at Conv2D speed. For each row phase r of dx
 * (rows s*m + r) only the taps with (r + padTop - ky) % s == 0 contribute, reading dy row m + offset.
 * One stride-1 Conv2D per row phase computes all column phases at once: its filter is
 * [Th, Tw, Co, sw*Ci] (taps rotated, in/out channels swapped, zero where a column phase lacks a tap) and
 * its output [B, M, N, sw*Ci] is already complete dx rows, so the phases interleave with one Concat.
 * With stride 1 this is the classic "conv with the 180-degree-rotated filter".
 */
import * as tf from '@tensorflow/tfjs';
import {callStock, callWasm} from './callKernel.js';
import {inputPhaseTaps, offsetRange, phasePadding, type PhaseTap} from './convPhases_impl.js';
import {disposeAll, heapF32, offsetF32, uploadF32} from './heap.js';
import {wasmBackend, type WasmBackend} from './wasmBackend.js';

/** Filter for one row phase: F[ty, tx, co, rx*Ci + ci] = w[ky, kx, ci, co]. */
function phaseFilter(w: Float32Array, kw: number, ci: number, co: number, rowTaps: PhaseTap[], colPhases: PhaseTap[][],
    rowMin: number, colMin: number, th: number, tw: number): Float32Array {
  const sw = colPhases.length;
  const oc = sw * ci;
  const f = new Float32Array(th * tw * co * oc);
  for (const {tap: ky, offset: oy} of rowTaps) {
    const ty = oy - rowMin;
    for (let rx = 0; rx < sw; rx++) {
      for (const {tap: kx, offset: ox} of colPhases[rx]) {
        const tx = ox - colMin;
        for (let c = 0; c < ci; c++) {
          const src = ((ky * kw + kx) * ci + c) * co;
          const dst = (ty * tw + tx) * co * oc + rx * ci + c;
          for (let o = 0; o < co; o++) f[dst + o * oc] = w[src + o];
        }
      }
    }
  }
  return f;
}

/** Stride-1 Conv2D of dy with explicit (possibly negative = cropping) padding. */
function convWithPadding(be: tf.KernelBackend, wb: WasmBackend, dy: tf.TensorInfo, filter: tf.TensorInfo,
    pt: number, pb: number, pl: number, pr: number): tf.TensorInfo {
  let input = dy;
  if (pt < 0 || pb < 0 || pl < 0 || pr < 0) {
    const [b, h, w, c] = dy.shape;
    const top = Math.max(0, -pt);
    const left = Math.max(0, -pl);
    input = callWasm(be, 'Slice', {x: dy}, {begin: [0, top, left, 0],
      size: [b, h - top - Math.max(0, -pb), w - left - Math.max(0, -pr), c]});
  }
  const pad = [[0, 0], [Math.max(0, pt), Math.max(0, pb)], [Math.max(0, pl), Math.max(0, pr)], [0, 0]];
  const out = callWasm(be, 'Conv2D', {x: input, filter},
    {strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined} as unknown as tf.NamedAttrMap);
  if (input !== dy) disposeAll(wb, input);
  return out;
}

function conv2DBackpropInput(args: {inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap}):
    tf.TensorInfo | tf.TensorInfo[] {
  const {inputs, backend: be, attrs} = args;
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const {dy, filter} = inputs as unknown as {dy: tf.TensorInfo; filter: tf.TensorInfo};
  if (a.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return callStock(be, 'Conv2DBackpropInput', inputs, attrs);
  }
  const wb = wasmBackend(be);
  const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number],
    a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const [batch, h, w, ci] = a.inputShape;
  const co = info.outChannels;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const m = Math.ceil(h / sh);
  const n = Math.ceil(w / sw);
  const rowPhases = inputPhaseTaps(kh, sh, info.padInfo.top);
  const colPhases = inputPhaseTaps(kw, sw, info.padInfo.left);
  const colRange = offsetRange(colPhases.flat());
  const tw = colRange.max - colRange.min + 1;
  const [pl, pr] = phasePadding(colRange, n, info.outWidth);
  const fo = offsetF32(wb, filter);
  const weights = heapF32(wb).slice(fo, fo + kh * kw * ci * co);
  const rowLen = n * sw * ci;

  const rows: tf.TensorInfo[] = [];
  for (const rowTaps of rowPhases) {
    if (rowTaps.length === 0 || colRange.min === Infinity) {
      rows.push(callWasm(be, 'Fill', {}, {shape: [batch * m, 1, rowLen], value: 0, dtype: 'float32'}));
      continue;
    }
    const rowRange = offsetRange(rowTaps);
    const th = rowRange.max - rowRange.min + 1;
    const f = uploadF32(wb, phaseFilter(weights, kw, ci, co, rowTaps, colPhases, rowRange.min, colRange.min, th, tw),
      [th, tw, co, sw * ci]);
    const [pt, pb] = phasePadding(rowRange, m, info.outHeight);
    const o = convWithPadding(be, wb, dy, f, pt, pb, pl, pr);
    disposeAll(wb, f);
    rows.push(callWasm(be, 'Reshape', {x: o}, {shape: [batch * m, 1, rowLen]}));
    disposeAll(wb, o);
  }
  let all: tf.TensorInfo;
  if (rows.length === 1) {
    all = rows[0];
  } else {
    all = callWasm(be, 'Concat', rows as unknown as tf.NamedTensorInfoMap, {axis: 1});
    disposeAll(wb, ...rows);
  }
  const full = callWasm(be, 'Reshape', {x: all}, {shape: [batch, m * sh, n * sw, ci]});
  disposeAll(wb, all);
  if (m * sh === h && n * sw === w) return full;
  const cropped = callWasm(be, 'Slice', {x: full}, {begin: [0, 0, 0, 0], size: [batch, h, w, ci]});
  disposeAll(wb, full);
  return cropped;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as tf.KernelFunc,
};
