/**
 * Conv2DBackpropFilter (dW of a conv2d) for the wasm backend, which has none.
 *
 * dW[ky,kx,ci,co] = sum_{b,oy,ox} xpad[b, s*oy+ky, s*ox+kx, ci] * dy[b,oy,ox,co] is computed as one matrix
 * product on the SIMD igemm ("wide" im2col without the copies):
 * - x is rearranged once into stride-phase planes P[chunk][py][px][b][i][j][ci] = xpad[b, s*i+py, s*j+px, ci]
 *   of size Hph x Wph (the output extent plus the largest tap shift), pixel-major as x itself (whole pixels are
 *   copied; with stride 1 whole rows), followed by a zeroed guard tail;
 * - dy is read as if zero-padded to [B, Hph, Wph, Co] (packed for the kernel from pointers to its pixels or to a
 *   zero row), so positions outside the real output contribute nothing;
 * - for tap (ky,kx) the im2col block is then just P at a shift of (ky/s)*Wph + kx/s pixels, so dW viewed as
 *   [taps*Ci, Co] is one GEMM whose row (tap, ci) points at channel ci of P's shifted pixels (k steps Ci floats
 *   apart: igemm's aStep) and whose B is dy, packed in blocks of K_BLOCK pixels; every block accumulates into dW
 *   in a fixed order.
 * Batch chunks keep the planes cache-sized.
 *
 * (For 1x1 filters the planes are just the pixels the filter visits: no waste.)
 * Other strategies cover the shapes where the wide planes are slow:
 * - few input channels (the stem): the row-segment igemm (rowSegmentFilterGrad), no planes and no waste;
 * - small outputs (e.g. 7x7, where the planes would be 1.65x the work): a forward Conv2D with batch and
 *   channels swapped, x^T [Ci,H,W,B] * dy^T [Ho,Wo,B,Co] with dilation = stride, giving [Ci,kh,kw,Co].
 */
import * as tf from '@tensorflow/tfjs';
import { callWasm } from './callKernel.js';
import { filterAxisPlan, phaseIndex } from './convPhases_impl.js';
import { allocF32, disposeAll, heapF32, offsetF32 } from './heap.js';
import { igemmOn, packedBFloats, packRowsOn, Scratch } from './simd/gemm.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

/** Target rows of the K dimension per matmul (batch images per chunk = about this / plane size). */
const TARGET_CHUNK_K = 16384;
/**
 * Below this many input channels (the 1-channel stem) the row-segment igemm is used: measured 2-4x faster there
 * than the wide planes; above it slower (short k runs of Wo pixels per pointer, strided A with stride 2).
 */
const FEW_CHANNELS = 16;
/**
 * Rows of k (pixels) per microkernel call: the packed dy panel (K_BLOCK x 8 floats) and a tap's K_BLOCK pixels of
 * P stay in L1 while the row blocks of that tap's channels pass over them.
 */
const K_BLOCK = 128;

/** Rearrange x [B,H,W,Ci] into zeroed pixel-major phase planes; returns the buffer (length total + guard). */
function gatherPhasePlanes(
  wb: WasmBackend,
  x: tf.TensorInfo,
  sh: number,
  sw: number,
  pt: number,
  pl: number,
  hph: number,
  wph: number,
  usedPy: number,
  usedPx: number,
  chunk: number,
  guard: number,
): tf.TensorInfo {
  const [batch, h, w, ci] = x.shape;
  const plane = hph * wph;
  const total = batch * sh * sw * ci * plane;
  const out = allocF32(wb, [total + guard], true);
  const heap = heapF32(wb);
  const xo = offsetF32(wb, x);
  const oo = offsetF32(wb, out);
  const colIdx = new Int32Array(w);
  const colPhase = new Int32Array(w);
  for (let c = 0; c < w; c++) {
    const p = phaseIndex(c, pl, sw);
    colIdx[c] = p.index;
    colPhase[c] = p.phase;
  }
  for (let b = 0; b < batch; b++) {
    const ch = Math.floor(b / chunk);
    const chStart = ch * chunk;
    const cb = Math.min(chunk, batch - chStart);
    const phaseFloats = cb * plane * ci;
    const chBase = oo + chStart * sh * sw * ci * plane;
    const bBase = (b - chStart) * plane;
    for (let r = 0; r < h; r++) {
      const { phase: py, index: i } = phaseIndex(r, pt, sh);
      if (py >= usedPy || i >= hph) continue;
      const src0 = xo + (b * h + r) * w * ci;
      const rowBase = chBase + py * sw * phaseFloats + (bBase + i * wph) * ci;
      if (sw === 1 && colIdx[w - 1] < wph) {
        // stride 1: the row's pixels stay adjacent
        heap.copyWithin(rowBase + colIdx[0] * ci, src0, src0 + w * ci);
        continue;
      }
      copyRowPixels(heap, src0, rowBase, w, ci, colIdx, colPhase, usedPx, wph, phaseFloats);
    }
  }
  return out;
}

/**
 * One input row's pixels into their column phase planes (ci floats each). A small function of its own: V8
 * optimizes it early; inlined in gatherPhasePlanes the same loop took as long as the stride-2 GEMM itself.
 */
function copyRowPixels(
  heap: Float32Array,
  src0: number,
  rowBase: number,
  w: number,
  ci: number,
  colIdx: Int32Array,
  colPhase: Int32Array,
  usedPx: number,
  wph: number,
  phaseFloats: number,
): void {
  for (let c = 0; c < w; c++) {
    const px = colPhase[c];
    const j = colIdx[c];
    if (px >= usedPx || j >= wph) continue;
    const dst = rowBase + px * phaseFloats + j * ci;
    const src = src0 + c * ci;
    for (let k = 0; k < ci; k++) heap[dst + k] = heap[src + k];
  }
}

/**
 * Above this ratio of wide-plane work to real work, use the swapped forward convolution: 14x14 (1.31) measured
 * faster on the pixel-major planes, 7x7 (1.65) on the swapped convolution.
 */
const MAX_WIDE_WASTE = 1.5;

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
 * one of igemm's "taps" (one pointer per GEMM row and segment), its Wo pixels the k steps (aStep = sw*Ci*4 bytes),
 * and B is dy's pixels of those rows, contiguous in NHWC and packed per block of whole rows. Any stride and padding;
 * the summation order is fixed (blocks, then rows, then pixels).
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
  const xpad = allocF32(wb, [batch, hp, wp, ci], true);
  const segs = Math.max(1, Math.floor(SEGMENT_BLOCK_PIXELS / wo));
  const scratch = new Scratch(wb);
  try {
    const bp = scratch.alloc(packedBFloats(segs * wo, co) * 4);
    const aInd = scratch.alloc(rows * segs * 4);
    const cInd = scratch.alloc(rows * 4);
    const dyRows = scratch.alloc(segs * wo * 4);
    const heap = heapF32(wb);
    const heapI = new Int32Array(heap.buffer);
    const xo = offsetF32(wb, x);
    const po = offsetF32(wb, xpad);
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < h; r++) {
        const src = xo + (b * h + r) * w * ci;
        heap.copyWithin(po + ((b * hp + r + pt) * wp + pl) * ci, src, src + w * ci);
      }
    }
    const outAt = offsetF32(wb, out);
    for (let r = 0; r < rows; r++) heapI[cInd / 4 + r] = 4 * (outAt + r * co);
    const dyBase = 4 * offsetF32(wb, dy);
    const igemm = igemmOn(wb);
    const packRows = packRowsOn(wb);
    const totalSegs = batch * ho;
    for (let s0 = 0; s0 < totalSegs; s0 += segs) {
      const count = Math.min(segs, totalSegs - s0);
      for (let q = 0; q < count * wo; q++) heapI[dyRows / 4 + q] = dyBase + (s0 * wo + q) * co * 4;
      packRows(count * wo, co, dyRows, bp);
      for (let t = 0; t < taps; t++) {
        const ky = Math.floor(t / kw);
        const kx = t - ky * kw;
        for (let c = 0; c < ci; c++) {
          let ai = aInd / 4 + (t * ci + c) * count;
          for (let sg = s0; sg < s0 + count; sg++) {
            const oy = sg % ho;
            const b = (sg - oy) / ho;
            heapI[ai++] = 4 * (po + ((b * hp + oy * sh + ky) * wp + kx) * ci + c);
          }
        }
      }
      igemm(rows, co, count, wo, aInd, 4 * sw * ci, bp, cInd, s0 === 0 ? 0 : 1);
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
  const [batch, , , ci] = x.shape;
  const co = info.outChannels;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const rowPlan = filterAxisPlan(kh, sh, info.outHeight);
  const colPlan = filterAxisPlan(kw, sw, info.outWidth);
  const hph = rowPlan.planeLen;
  const wph = colPlan.planeLen;
  const plane = hph * wph;
  const chunk = Math.max(1, Math.min(batch, Math.round(TARGET_CHUNK_K / plane)));
  const guard = (rowPlan.shiftOf[kh - 1] * wph + colPlan.shiftOf[kw - 1] + 1) * ci;
  const taps = kh * kw;
  if (ci < FEW_CHANNELS) return rowSegmentFilterGrad(wb, x, dy, info);
  if (plane > MAX_WIDE_WASTE * info.outHeight * info.outWidth) return swappedConvFilterGrad(be, wb, x, dy, info);

  const planes = gatherPhasePlanes(
    wb,
    x,
    sh,
    sw,
    info.padInfo.top,
    info.padInfo.left,
    hph,
    wph,
    rowPlan.usedPhases,
    colPlan.usedPhases,
    chunk,
    guard,
  );
  const out = allocF32(wb, [kh, kw, ci, co]);
  const rows = taps * ci;
  const scratch = new Scratch(wb);
  try {
    const bp = scratch.alloc(packedBFloats(K_BLOCK, co) * 4);
    const aInd = scratch.alloc(rows * 4);
    const cInd = scratch.alloc(rows * 4);
    const dyRows = scratch.alloc(K_BLOCK * 4);
    const zeroRow = scratch.alloc(Math.max(co, 4) * 4);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    heapI.fill(0, zeroRow / 4, zeroRow / 4 + Math.max(co, 4));
    const planesAt = offsetF32(wb, planes);
    const dyBase = 4 * offsetF32(wb, dy);
    const outAt = offsetF32(wb, out);
    for (let r = 0; r < rows; r++) heapI[cInd / 4 + r] = 4 * (outAt + r * co);
    const igemm = igemmOn(wb);
    const packRows = packRowsOn(wb);
    const { outHeight: ho, outWidth: wo } = info;
    let first = true;
    for (let chStart = 0; chStart < batch; chStart += chunk) {
      const cb = Math.min(chunk, batch - chStart);
      const kc = cb * plane;
      const chBase = planesAt + chStart * sh * sw * ci * plane;
      for (let k0 = 0; k0 < kc; k0 += K_BLOCK) {
        const kb = Math.min(K_BLOCK, kc - k0);
        // B: dy's pixels at the wide positions chStart*plane + k0 + q (zero beyond the real output)
        for (let q = 0, p = chStart * plane + k0; q < kb; q++, p++) {
          const j = p % wph;
          const bi = (p - j) / wph;
          const i = bi % hph;
          const b = (bi - i) / hph;
          heapI[dyRows / 4 + q] = i < ho && j < wo ? dyBase + ((b * ho + i) * wo + j) * co * 4 : zeroRow;
        }
        packRows(kb, co, dyRows, bp);
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const tapAt =
              chBase +
              (rowPlan.phaseOf[ky] * sw + colPlan.phaseOf[kx]) * ci * kc +
              (rowPlan.shiftOf[ky] * wph + colPlan.shiftOf[kx] + k0) * ci;
            const r0 = (ky * kw + kx) * ci;
            for (let c = 0; c < ci; c++) heapI[aInd / 4 + r0 + c] = 4 * (tapAt + c);
          }
        }
        igemm(rows, co, 1, kb, aInd, 4 * ci, bp, cInd, first ? 0 : 1);
        first = false;
      }
    }
  } finally {
    scratch.free();
  }
  disposeAll(wb, planes);
  return out;
}

export const conv2DBackpropFilterConfig = wasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
