/**
 * Conv2DBackpropFilter (dW of a conv2d) for the wasm backend, which has none.
 *
 * dW[ky,kx,ci,co] = sum_{b,oy,ox} xpad[b, s*oy+ky, s*ox+kx, ci] * dy[b,oy,ox,co] is computed as one matrix
 * product on the SIMD igemm ("wide" im2col without the copies):
 * - x is rearranged once into stride-phase planes P[chunk][py][px][b][i][j][ci] = xpad[b, s*i+py, s*j+px, ci]
 *   of size Hph x Wph (the output extent plus the largest tap shift), pixel-major as x itself (whole pixels are
 *   copied; with stride 1 whole rows), followed by a zeroed guard tail;
 * - dy is zero-padded to [B, Hph, Wph, Co], so positions outside the real output contribute nothing;
 * - for tap (ky,kx) the im2col block is then just P at a shift of (ky/s)*Wph + kx/s pixels, so dW viewed as
 *   [taps*Ci, Co] is one GEMM whose row (tap, ci) points at channel ci of P's shifted pixels (k steps Ci floats
 *   apart: igemm's aStep) and whose B is dy, packed in blocks of K_BLOCK pixels; every block accumulates into dW
 *   in a fixed order.
 * Batch chunks keep the planes cache-sized.
 *
 * (For 1x1 filters the planes are just the pixels the filter visits, channel-major: no waste.)
 * Another strategy covers the shapes where the wide planes waste too much:
 * - small outputs (e.g. 7x7, where the planes would be 1.65x the work): a forward Conv2D with batch and
 *   channels swapped, x^T [Ci,H,W,B] * dy^T [Ho,Wo,B,Co] with dilation = stride, giving [Ci,kh,kw,Co].
 */
import * as tf from '@tensorflow/tfjs';
import { callWasm } from './callKernel.js';
import { filterAxisPlan, phaseIndex } from './convPhases_impl.js';
import { allocF32, disposeAll, heapF32, offsetF32 } from './heap.js';
import { igemmOn, packB, packedBFloats, Scratch } from './simd/gemm.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';

/** Target rows of the K dimension per matmul (batch images per chunk = about this / plane size). */
const TARGET_CHUNK_K = 16384;
/** Below this many input channels the wide planes are used whatever their waste (the swapped conv is slow). */
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
      for (let c = 0; c < w; c++) {
        const px = colPhase[c];
        const j = colIdx[c];
        if (px >= usedPx || j >= wph) continue;
        const dst = rowBase + px * phaseFloats + j * ci;
        const src = src0 + c * ci;
        for (let k = 0; k < ci; k++) heap[dst + k] = heap[src + k];
      }
    }
  }
  return out;
}

/** dy [B,Ho,Wo,Co] zero-padded at the bottom/right to [B,Hph,Wph,Co] (or dy itself when no padding). */
function padDy(wb: WasmBackend, dy: tf.TensorInfo, hph: number, wph: number): { t: tf.TensorInfo; owned: boolean } {
  const [batch, ho, wo, co] = dy.shape;
  if (hph === ho && wph === wo) return { t: dy, owned: false };
  const out = allocF32(wb, [batch, hph, wph, co], true);
  const heap = heapF32(wb);
  const so = offsetF32(wb, dy);
  const oo = offsetF32(wb, out);
  const rowIn = wo * co;
  const rowOut = wph * co;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < ho; r++) {
      const src = so + (b * ho + r) * rowIn;
      heap.copyWithin(oo + (b * hph + r) * rowOut, src, src + rowIn);
    }
  }
  return { t: out, owned: true };
}

/** Above this ratio of wide-plane work to real work, use the swapped forward convolution. */
const MAX_WIDE_WASTE = 1.25;

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

function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo | tf.TensorInfo[] {
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
  if (plane > MAX_WIDE_WASTE * info.outHeight * info.outWidth && ci >= FEW_CHANNELS) {
    return swappedConvFilterGrad(be, wb, x, dy, info);
  }

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
  const dyW = padDy(wb, dy, hph, wph);
  const out = allocF32(wb, [kh, kw, ci, co]);
  const rows = taps * ci;
  const scratch = new Scratch(wb);
  try {
    const bp = scratch.alloc(packedBFloats(K_BLOCK, co) * 4);
    const aInd = scratch.alloc(rows * 4);
    const cInd = scratch.alloc(rows * 4);
    const heap = new Float32Array(wb.module.HEAPU8.buffer);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    const planesAt = offsetF32(wb, planes);
    const dyAt = offsetF32(wb, dyW.t);
    const outAt = offsetF32(wb, out);
    for (let r = 0; r < rows; r++) heapI[cInd / 4 + r] = 4 * (outAt + r * co);
    const igemm = igemmOn(wb);
    let first = true;
    for (let chStart = 0; chStart < batch; chStart += chunk) {
      const cb = Math.min(chunk, batch - chStart);
      const kc = cb * plane;
      const chBase = planesAt + chStart * sh * sw * ci * plane;
      for (let k0 = 0; k0 < kc; k0 += K_BLOCK) {
        const kb = Math.min(K_BLOCK, kc - k0);
        packB(heap, dyAt + (chStart * plane + k0) * co, kb, co, co, bp / 4);
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
  if (dyW.owned) disposeAll(wb, dyW.t);
  return out;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as tf.KernelFunc,
};
