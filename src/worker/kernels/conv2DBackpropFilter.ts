/**
 * Conv2DBackpropFilter (dW of a conv2d) for the wasm backend, which has none.
 *
 * dW[ky,kx,ci,co] = sum_{b,oy,ox} xpad[b, s*oy+ky, s*ox+kx, ci] * dy[b,oy,ox,co], dW viewed as [taps*Ci, Co], is
 * computed on the SIMD igemm over output-row segments (rowSegmentFilterGrad: no im2col copy, no wasted work), or,
 * where the output is small (the 7x7 layers, whose rows are too short for the segments), as a forward Conv2D with
 * batch and channels swapped: x^T [Ci,H,W,B] * dy^T [Ho,Wo,B,Co] with dilation = stride, giving [Ci,kh,kw,Co].
 * (The row segments replaced "wide" stride-phase planes, which did 1.15-1.31x the work at 28x28 and 14x14 and
 * built their tables in JavaScript: 0.61-0.92x the time at resnet-mini's shapes, bench/computeKernels.ts.)
 * 3x3 stride-1 layers with enough channels take Winograd instead (conv2DWinograd.ts: backpropFilterWinograd).
 */
import * as tf from '@tensorflow/tfjs';
import { callWasm } from './callKernel.js';
import { backpropFilterWinograd, winogradPays } from './conv2DWinograd.js';
import { allocF32, disposeAll, heapF32, offsetF32 } from './heap.js';
import { gemmOn, packedBFloats, Scratch } from './simd/gemm.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

/**
 * The swapped forward convolution is used where the filter's reach past the output, (Ho + (kh-1)/s) x
 * (Wo + (kw-1)/s), is above this ratio to the output and there are at least MIN_SWAPPED_CHANNELS input channels:
 * at 7x7 stride 1 (1.65) it measured 0.88x the row segments' time (7-pixel rows); at 14x14 stride 2 to 7x7 (1.31)
 * the row segments were faster.
 */
const MAX_REACH = 1.5;
const MIN_SWAPPED_CHANNELS = 16;

/** dW as a forward Conv2D with batch and channels swapped (no wasted work; best for small outputs). */
function swappedConvFilterGrad(
  be: tf.KernelBackend,
  wb: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const [batch, h, w, ci] = x.shape;
  const { outHeight: ho, outWidth: wo, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top: pt, left: pl } = info.padInfo;
  // Rows/columns of x (padded) that the filter reaches: (Ho-1)*s + k; beyond that x is cropped.
  const pb = (ho - 1) * sh + kh - h - pt;
  const pr = (wo - 1) * sw + kw - w - pl;
  let xc = x;
  if (pb < 0 || pr < 0) {
    xc = callWasm(
      be,
      'Slice',
      { x },
      { begin: [0, 0, 0, 0], size: [batch, h + Math.min(pb, 0), w + Math.min(pr, 0), ci] },
    );
  }
  const xT = callWasm(be, 'Transpose', { x: xc }, { perm: [3, 1, 2, 0] });
  if (xc !== x) disposeAll(wb, xc);
  const dyT = callWasm(be, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const pad = [
    [0, 0],
    [pt, Math.max(pb, 0)],
    [pl, Math.max(pr, 0)],
    [0, 0],
  ];
  const o = callWasm(be, 'Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [sh, sw],
    dimRoundingMode: undefined,
  } as unknown as tf.NamedAttrMap);
  const out = callWasm(be, 'Transpose', { x: o }, { perm: [1, 2, 0, 3] });
  disposeAll(wb, xT, dyT, o);
  return out;
}

/** dy pixels per microkernel call of the row-segment filter gradient (whole output rows, at least one). */
const SEGMENT_BLOCK_PIXELS = 128;

/**
 * dW through the SIMD igemm over output-row segments, with no wasted work: dW viewed as [taps*Ci, Co] =
 * sum over output rows (b, oy) of X_(b,oy)^T dy_(b,oy), where for tap (ky,kx) and channel c the row's k-th input is
 * xpad[b, oy*sh + ky, k*sw + kx, c]: Wo values sw*Ci floats apart in a zero-bordered copy of x. Each output row is
 * one of the kernel's "taps", its Wo pixels the k steps (aStep = sw*Ci*4 bytes), and B is dy's pixels of those rows,
 * contiguous in NHWC and packed per block of whole rows. The pointers come as a base per GEMM row (tap, channel),
 * fixed for the whole call, plus an offset per output row (igemmOff), so a block of rows costs a handful of
 * pointers. Any stride and padding; the summation order is fixed (blocks, then rows, then pixels).
 */
function rowSegmentFilterGrad(
  wb: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const [batch, h, w, ci] = x.shape;
  const {
    outHeight: ho,
    outWidth: wo,
    outChannels: co,
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  const { top: pt, left: pl } = info.padInfo;
  const out = allocF32(wb, [kh, kw, ci, co]);
  const taps = kh * kw;
  const rows = taps * ci;
  if (batch * ho * wo === 0) {
    heapF32(wb).fill(0, offsetF32(wb, out), offsetF32(wb, out) + rows * co);
    return out;
  }
  // zero-bordered x: every tap of every output pixel lands inside
  const hp = Math.max(h + pt, (ho - 1) * sh + kh);
  const wp = Math.max(w + pl, (wo - 1) * sw + kw);
  const xpad = allocF32(wb, [batch, hp, wp, ci]);
  const segs = Math.max(1, Math.floor(SEGMENT_BLOCK_PIXELS / wo));
  const scratch = new Scratch(wb);
  try {
    const bp = scratch.alloc(packedBFloats(segs * wo, co) * 4);
    const aRows = scratch.alloc(rows * 4);
    const aOffs = scratch.alloc(segs * 4);
    const cInd = scratch.alloc(rows * 4);
    const dyRows = scratch.alloc(segs * wo * 4);
    const heap = heapF32(wb);
    const heapI = new Int32Array(heap.buffer);
    const xo = offsetF32(wb, x);
    const po = offsetF32(wb, xpad);
    // x's rows into the middle, zeros in the border only (the whole buffer measured 4-5 ms more at 28x28 32->32)
    const rowFloats = wp * ci;
    for (let b = 0; b < batch; b++) {
      const img = po + b * hp * rowFloats;
      heap.fill(0, img, img + pt * rowFloats);
      for (let r = 0; r < h; r++) {
        const src = xo + (b * h + r) * w * ci;
        const row = img + (r + pt) * rowFloats;
        heap.fill(0, row, row + pl * ci);
        heap.copyWithin(row + pl * ci, src, src + w * ci);
        heap.fill(0, row + (pl + w) * ci, row + rowFloats);
      }
      heap.fill(0, img + (h + pt) * rowFloats, img + hp * rowFloats);
    }
    const outAt = offsetF32(wb, out);
    for (let r = 0; r < rows; r++) heapI[cInd / 4 + r] = 4 * (outAt + r * co);
    for (let t = 0; t < taps; t++) {
      const ky = Math.floor(t / kw);
      const kx = t - ky * kw;
      for (let c = 0; c < ci; c++) heapI[aRows / 4 + t * ci + c] = 4 * (po + (ky * wp + kx) * ci + c);
    }
    const dyBase = 4 * offsetF32(wb, dy);
    const { igemmOff, packRows } = gemmOn(wb);
    const totalSegs = batch * ho;
    let oy = 0;
    let b = 0;
    for (let s0 = 0; s0 < totalSegs; s0 += segs) {
      const count = Math.min(segs, totalSegs - s0);
      for (let q = 0; q < count * wo; q++) heapI[dyRows / 4 + q] = dyBase + (s0 * wo + q) * co * 4;
      packRows(count * wo, co, dyRows, bp);
      for (let q = 0; q < count; q++) {
        heapI[aOffs / 4 + q] = 4 * (b * hp + oy * sh) * wp * ci;
        if (++oy === ho) {
          oy = 0;
          b++;
        }
      }
      igemmOff(rows, co, count, wo, aRows, aOffs, 4 * sw * ci, bp, cInd, s0 === 0 ? 0 : 1);
    }
  } finally {
    scratch.free();
  }
  disposeAll(wb, xpad);
  return out;
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (a.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm): only float32 NHWC is supported, got ${x.dtype} ${a.dataFormat}`);
  }
  const wb = wasmBackend(be);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (winogradPays(info)) return backpropFilterWinograd(wb, x, dy, info);
  // the swapped convolution where the output is small (its rows too short for row segments): the extent the
  // filter's taps reach past the output, (Ho + (kh-1)/s) x (Wo + (kw-1)/s), against the output itself
  const reach =
    (info.outHeight + Math.floor((info.filterHeight - 1) / info.strideHeight)) *
    (info.outWidth + Math.floor((info.filterWidth - 1) / info.strideWidth));
  if (x.shape[3] >= MIN_SWAPPED_CHANNELS && reach > MAX_REACH * info.outHeight * info.outWidth) {
    return swappedConvFilterGrad(be, wb, x, dy, info);
  }
  return rowSegmentFilterGrad(wb, x, dy, info);
}

export const conv2DBackpropFilterConfig = wasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
