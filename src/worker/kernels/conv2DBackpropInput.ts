/**
 * Conv2DBackpropInput (dx of a conv2d) for the wasm backend: with enough channels directly on the SIMD igemm
 * (backpropInputIgemm below), otherwise as forward convolutions of dy, as follows.
 *
 * The stock kernel runs ~1.8 GFLOP/s; this one runs at Conv2D speed. For each row phase r of dx
 * (rows s*m + r) only the taps with (r + padTop - ky) % s == 0 contribute, reading dy row m + offset.
 * One stride-1 Conv2D per row phase computes all column phases at once: its filter is
 * [Th, Tw, Co, sw*Ci] (taps rotated, in/out channels swapped, zero where a column phase lacks a tap) and
 * its output [B, M, N, sw*Ci] is already complete dx rows, so the phases interleave with one Concat.
 * With stride 1 this is the classic "conv with the 180-degree-rotated filter"; 3x3 stride-1 layers with enough
 * channels take it through Winograd F(4x4,3x3) (conv2DWinograd.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, callWasm } from './callKernel.js';
import { backpropInputWinograd, winogradPays } from './conv2DWinograd.js';
import { inputPhaseTaps, offsetRange, phasePadding, type PhaseTap } from './convPhases_impl.js';
import { allocF32, disposeAll, heapF32, offsetF32, uploadF32 } from './heap.js';
import { gemmOn, packB, packedBFloats, Scratch } from './simd/gemm.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

/** Filter for one row phase: F[ty, tx, co, rx*Ci + ci] = w[ky, kx, ci, co]. */
function phaseFilter(
  w: Float32Array,
  kw: number,
  ci: number,
  co: number,
  rowTaps: PhaseTap[],
  colPhases: PhaseTap[][],
  rowMin: number,
  colMin: number,
  th: number,
  tw: number,
): Float32Array {
  const sw = colPhases.length;
  const oc = sw * ci;
  const f = new Float32Array(th * tw * co * oc);
  for (const { tap: ky, offset: oy } of rowTaps) {
    const ty = oy - rowMin;
    for (let rx = 0; rx < sw; rx++) {
      for (const { tap: kx, offset: ox } of colPhases[rx]) {
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
function convWithPadding(
  be: tf.KernelBackend,
  wb: WasmBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  pt: number,
  pb: number,
  pl: number,
  pr: number,
): tf.TensorInfo {
  let input = dy;
  if (pt < 0 || pb < 0 || pl < 0 || pr < 0) {
    const [b, h, w, c] = dy.shape;
    const top = Math.max(0, -pt);
    const left = Math.max(0, -pl);
    input = callWasm(
      be,
      'Slice',
      { x: dy },
      { begin: [0, top, left, 0], size: [b, h - top - Math.max(0, -pb), w - left - Math.max(0, -pr), c] },
    );
  }
  const pad = [
    [0, 0],
    [Math.max(0, pt), Math.max(0, pb)],
    [Math.max(0, pl), Math.max(0, pr)],
    [0, 0],
  ];
  const out = callWasm(be, 'Conv2D', { x: input, filter }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined,
  } as unknown as tf.NamedAttrMap);
  if (input !== dy) disposeAll(wb, input);
  return out;
}

/**
 * Below this many input channels (dx's columns) or this k (taps per phase x Co) the phase convolutions below are
 * used. The 1x1 stride-2 projections (k = Co = 64 and 128) measured 0.50-0.60x the phase convolutions' time on
 * the igemm (their empty phases zero-filled at once).
 */
const MIN_IGEMM_COLUMNS = 8;
const MIN_IGEMM_K = 64;
/** Rows (dx pixels) per igemm call. */
const CHUNK_ROWS = 512;

/**
 * dx through the SIMD igemm directly: for each stride phase (py, px) of dx, the GEMM's rows are that phase's
 * pixels, its taps those filter taps that land on the phase (no zero taps), A points at the dy pixel each tap
 * reads (or a zero row outside dy; the tables are written in wasm, simd/convTableWat.ts), B for tap (ky,kx) is
 * W[ky,kx]^T [Co, Ci], and C rows point straight into dx:
 * no rotated-filter convolutions, no concatenation, no cropping copy.
 */
function backpropInputIgemm(
  wb: WasmBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    batchSize: batch,
    inHeight: h,
    inWidth: w,
    inChannels: ci,
    outHeight: ho,
    outWidth: wo,
    outChannels: co,
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
  } = info;
  const rowPhases = inputPhaseTaps(kh, sh, info.padInfo.top);
  const colPhases = inputPhaseTaps(kw, sw, info.padInfo.left);
  // phases no tap reaches (a filter smaller than the stride: 1x1 at stride 2 leaves 3 of 4) stay zero: one fill of
  // the whole of dx, then the phases with taps overwrite theirs
  const emptyPhases = rowPhases.some((p) => p.length === 0) || colPhases.some((p) => p.length === 0);
  const dx = allocF32(wb, [batch, h, w, ci], emptyPhases);
  const maxTaps = Math.max(...rowPhases.map((p) => p.length)) * Math.max(...colPhases.map((p) => p.length));
  const scratch = new Scratch(wb);
  try {
    const wT = scratch.alloc(maxTaps * co * ci * 4);
    const bp = scratch.alloc(packedBFloats(maxTaps * co, ci) * 4);
    const zero = scratch.alloc(Math.max(co, 4) * 4);
    const aInd = scratch.alloc(CHUNK_ROWS * Math.max(maxTaps, 1) * 4);
    const cInd = scratch.alloc(CHUNK_ROWS * 4);
    const tapY = scratch.alloc(Math.max(maxTaps, 1) * 4);
    const tapX = scratch.alloc(Math.max(maxTaps, 1) * 4);
    const heap = new Float32Array(wb.module.HEAPU8.buffer);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    heap.fill(0, zero / 4, zero / 4 + Math.max(co, 4));
    const wAt = offsetF32(wb, filter);
    const dyBase = 4 * offsetF32(wb, dy);
    const dxAt = offsetF32(wb, dx);
    const { igemm, convTable } = gemmOn(wb);
    for (let py = 0; py < sh; py++) {
      for (let px = 0; px < sw; px++) {
        const mCount = Math.ceil((h - py) / sh);
        const nCount = Math.ceil((w - px) / sw);
        if (mCount <= 0 || nCount <= 0) continue;
        const taps: Array<{ ky: number; kx: number; oy: number; ox: number }> = [];
        for (const r of rowPhases[py])
          for (const c of colPhases[px]) taps.push({ ky: r.tap, kx: c.tap, oy: r.offset, ox: c.offset });
        if (taps.length === 0) continue;
        // B rows (t, o): W[ky,kx,:,o], i.e. W[ky,kx]^T
        taps.forEach(({ ky, kx }, t) => {
          const src = wAt + (ky * kw + kx) * ci * co;
          for (let o = 0; o < co; o++) {
            const dst = wT / 4 + (t * co + o) * ci;
            for (let c = 0; c < ci; c++) heap[dst + c] = heap[src + c * co + o];
          }
        });
        packB(wb, wT / 4, taps.length * co, ci, ci, bp / 4);
        const rows = batch * mCount * nCount;
        taps.forEach(({ oy, ox }, t) => {
          heapI[tapY / 4 + t] = oy;
          heapI[tapX / 4 + t] = ox;
        });
        const dyPixelBytes = co * 4;
        const dxPixelBytes = ci * 4;
        for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
          const count = Math.min(CHUNK_ROWS, rows - r0);
          // this phase's dx pixels (b, m*sh + py, n*sw + px) and their taps' dy pixels (b, m + oy, n + ox)
          convTable(
            count,
            r0,
            nCount,
            mCount,
            taps.length,
            tapY,
            tapX,
            1,
            1,
            ho,
            wo,
            dyBase,
            ho * wo * dyPixelBytes,
            wo * dyPixelBytes,
            dyPixelBytes,
            zero,
            aInd,
            4 * dxAt + (py * w + px) * dxPixelBytes,
            h * w * dxPixelBytes,
            sh * w * dxPixelBytes,
            sw * dxPixelBytes,
            cInd,
          );
          igemm(count, ci, taps.length, co, aInd, 4, bp, cInd, 0);
        }
      }
    }
  } finally {
    scratch.free();
  }
  return dx;
}

function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  if (a.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return callStock(be, 'Conv2DBackpropInput', inputs, attrs);
  }
  const wb = wasmBackend(be);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (winogradPays(info)) return backpropInputWinograd(wb, dy, filter, info);
  if (
    info.inChannels >= MIN_IGEMM_COLUMNS &&
    info.outChannels *
      Math.ceil(info.filterHeight / info.strideHeight) *
      Math.ceil(info.filterWidth / info.strideWidth) >=
      MIN_IGEMM_K
  ) {
    return backpropInputIgemm(wb, dy, filter, info);
  }
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
      rows.push(callWasm(be, 'Fill', {}, { shape: [batch * m, 1, rowLen], value: 0, dtype: 'float32' }));
      continue;
    }
    const rowRange = offsetRange(rowTaps);
    const th = rowRange.max - rowRange.min + 1;
    const f = uploadF32(wb, phaseFilter(weights, kw, ci, co, rowTaps, colPhases, rowRange.min, colRange.min, th, tw), [
      th,
      tw,
      co,
      sw * ci,
    ]);
    const [pt, pb] = phasePadding(rowRange, m, info.outHeight);
    const o = convWithPadding(be, wb, dy, f, pt, pb, pl, pr);
    disposeAll(wb, f);
    rows.push(callWasm(be, 'Reshape', { x: o }, { shape: [batch * m, 1, rowLen] }));
    disposeAll(wb, o);
  }
  let all: tf.TensorInfo;
  if (rows.length === 1) {
    all = rows[0];
  } else {
    all = callWasm(be, 'Concat', rows as unknown as tf.NamedTensorInfoMap, { axis: 1 });
    disposeAll(wb, ...rows);
  }
  const full = callWasm(be, 'Reshape', { x: all }, { shape: [batch, m * sh, n * sw, ci] });
  disposeAll(wb, all);
  if (m * sh === h && n * sw === w) return full;
  const cropped = callWasm(be, 'Slice', { x: full }, { begin: [0, 0, 0, 0], size: [batch, h, w, ci] });
  disposeAll(wb, full);
  return cropped;
}

export const conv2DBackpropInputConfig = wasmKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
