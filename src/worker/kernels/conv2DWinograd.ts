/**
 * 3x3 stride-1 convolutions by Winograd F(2x2,3x3) or F(4x4,3x3) (the transforms: simd/winogradWat.ts): 16
 * multiply-adds per 2x2 output tile and channel pair instead of 36 (2.25x fewer than direct convolution), or 36 per
 * 4x4 tile instead of 144 (4x), for the price of the input and output transforms (memory passes) and more float32
 * rounding (F(2x2)'s coefficients are 0, +-1, +-0.5; F(4x4)'s reach 8 and 1/24).
 *
 * Per chunk of tiles (sized so its V and M stay in the L2 cache): the input transform writes V[a*a][tiles][C], a*a
 * GEMMs M[e] = V[e] . U[e] run on the igemm (igemmOff: one row table shared by all), the output transform writes
 * the output tiles. U (the filter transform) is made once per call, straight into igemm's packed B.
 * Conv2D uses it for 3x3 stride-1 layers ('same', 'valid' or explicit padding), Conv2DBackpropInput for their input
 * gradient (a 3x3 stride-1 convolution of dy with the filter rotated 180 degrees and its channels swapped: the same
 * path, another view of the filter), and Conv2DBackpropFilter for their filter gradient (backpropFilterWinograd),
 * where it measured faster than the direct igemm kernels (winogradPays).
 */
import type * as tf from '@tensorflow/tfjs';
import { allocF32, offsetF32 } from './heap.js';
import { gemmFlavour, gemmOn, packedBFloats, Scratch } from './simd/gemm.js';
import { GEMM_NR } from './simd/igemmWat.js';
import { instanceOn } from './simd/loadSimd.js';
import type { SimdFlavour } from './simd/wasmFiles.js';
import type { WinogradTile } from './simd/winogradWat.js';
import type { WasmBackend } from './wasmBackend.js';

/**
 * Bytes of V and M (a*a matrices each) per chunk of tiles: a quarter of the 1 MiB L2 (256 KiB measured ahead of
 * 512 KiB to 4 MiB for F(4x4) at resnet-mini's shapes).
 */
const CHUNK_BYTES = 256 * 1024;
const MIN_CHUNK_TILES = 16;
/**
 * Added to the distance between V's (and M's) a*a matrices: a transform reads or writes all of them per tile, and
 * at distances a multiple of 4 KiB they would all fall in the same L1 cache sets (8 ways for 16 or 36 streams):
 * the input transform at 28x28 32->32 (batch 128) took 13.8 ms without, 8.5 ms with.
 */
const SKEW_BYTES = 64;
const MAX_CHUNK_TILES = 1024;

/**
 * A 3x3 filter as the transform reads it: tap (ky, kx) of (row, col) at byte src + ky*sKy + kx*sKx + row*sRow +
 * col*sCol, rows being the convolution's input channels and cols its output channels.
 */
export interface FilterView {
  src: number;
  sKy: number;
  sKx: number;
  sRow: number;
  sCol: number;
}

type WinogradFn = (...args: number[]) => void;

/** The Winograd module's transforms for one tiling, on this backend's heap (simd/winogradWat.ts: plain SIMD128). */
function winogradOn(
  wb: WasmBackend,
  tile: WinogradTile,
): Record<'wgFilter' | 'wgInput' | 'wgOutput' | 'wgDy' | 'wgFilterGrad', WinogradFn> {
  const wg = instanceOn(wb.module.asm.memory, 'winograd', 'simd') as Record<string, WinogradFn>;
  const of = (f: string): WinogradFn => wg[`${f}${tile}`];
  return {
    wgFilter: of('wgFilter'),
    wgInput: of('wgInput'),
    wgOutput: of('wgOutput'),
    wgDy: of('wgDy'),
    wgFilterGrad: of('wgFilterGrad'),
  };
}

/**
 * Fewest input and output channels for which Conv2D and Conv2DBackpropInput take Winograd: measured faster than
 * the direct igemm at resnet-mini's 3x3 stride-1 layers (32, 64 and 128 channels, 1.2-1.5x, README); below, the
 * GEMMs' k (the channels) is short and untried.
 */
const MIN_WINOGRAD_CHANNELS = 32;

/** Whether the kernels route this convolution (and its input and filter gradients) through Winograd. */
export function winogradPays(info: tf.backend_util.Conv2DInfo): boolean {
  return winogradFits(info) && info.inChannels >= MIN_WINOGRAD_CHANNELS && info.outChannels >= MIN_WINOGRAD_CHANNELS;
}

/**
 * The forward takes F(4x4,3x3) from this many input and output channels, F(2x2,3x3) below; the gradients take
 * F(4x4) at every shape Winograd takes. F(4x4) measured 0.55-0.9x F(2x2)'s time at all three of resnet-mini's 3x3
 * stride-1 shapes (batch 128, one process: README), but it rounds ~10x more (relative to the largest output, up
 * to 8e-6 against 1e-6 at 9*128-term sums: test/kernels/winograd.test.ts). In the forward that error reaches the
 * activations and, through the ReLUs it flips, the whole step: F(4x4) forwards at resnet20's 16x16 32-channel
 * layers moved its first step's gradient 1.06% (relative L2) from the direct convolution's, past what 1e-7 of input
 * noise moves it (0.28%; F(2x2): 0.11%; test/kernels/trainForward.test.ts). The gradients' errors stay linear.
 */
const MIN_F4_FORWARD_CHANNELS = 64;

/** The tiling the kernels use for this convolution's forward pass or its gradients. */
export function winogradTile(info: tf.backend_util.Conv2DInfo, which: WinogradKernel): WinogradTile {
  if (which !== 'forward') return 4;
  return info.inChannels >= MIN_F4_FORWARD_CHANNELS && info.outChannels >= MIN_F4_FORWARD_CHANNELS ? 4 : 2;
}

/** The three convolution kernels Winograd serves. */
export type WinogradKernel = 'forward' | 'inputGradient' | 'filterGradient';

/** Whether the Winograd path can take this convolution: 3x3, stride 1, no dilation, channels in whole vectors. */
export function winogradFits(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    info.inChannels > 0 &&
    info.outChannels > 0
  );
}

/** The forward filter [3,3,C,K] at byte `at` as the transform's view. */
export function forwardFilter(at: number, c: number, k: number): FilterView {
  return { src: at, sKy: 3 * c * k * 4, sKx: c * k * 4, sRow: k * 4, sCol: 4 };
}

/** The input gradient's filter: [3,3,C,K] at byte `at` rotated 180 degrees, rows K (dy's channels), cols C. */
export function rotatedFilter(at: number, c: number, k: number): FilterView {
  return { src: at + 8 * c * k * 4, sKy: -3 * c * k * 4, sKx: -c * k * 4, sRow: 4, sCol: k * 4 };
}

/**
 * y [B,ho,wo,k] = the 3x3 stride-1 convolution of x [B,H,W,C] (NHWC float32, C and k multiples of 4) by
 * `filter`, with the window of output (oy, ox) starting at input (oy - pt, ox - pl) (zero outside x), by
 * Winograd F(tile x tile, 3x3).
 */
export function winogradConv(
  wb: WasmBackend,
  x: tf.TensorInfo,
  filter: FilterView,
  k: number,
  pt: number,
  pl: number,
  ho: number,
  wo: number,
  tile: WinogradTile,
  flavour: SimdFlavour = gemmFlavour(),
): tf.TensorInfo {
  const [batch, h, w, c] = x.shape;
  const y = allocF32(wb, [batch, ho, wo, k]);
  const tw = Math.ceil(wo / tile);
  const th = Math.ceil(ho / tile);
  const tiles = batch * th * tw;
  if (tiles === 0 || k === 0) return y;
  // the transforms' a x a matrices
  const mats = (tile + 2) ** 2;
  const chunk = Math.max(
    MIN_CHUNK_TILES,
    Math.min(MAX_CHUNK_TILES, 4 * Math.floor(CHUNK_BYTES / (mats * 4 * (c + k) * 4))),
  );
  const scratch = new Scratch(wb);
  try {
    const bBytes = packedBFloats(c, k) * 4;
    const bp = scratch.alloc(mats * bBytes);
    const vStride = chunk * c * 4 + SKEW_BYTES;
    const mStride = chunk * k * 4 + SKEW_BYTES;
    const v = scratch.alloc(mats * vStride);
    const m = scratch.alloc(mats * mStride);
    const aRows = scratch.alloc(chunk * 4);
    const aOffs = scratch.alloc(mats * 4);
    const cInd = scratch.alloc(mats * chunk * 4);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    // the panels' padding columns must be zero (the filter transform writes only the real ones)
    heapI.fill(0, bp / 4, (bp + mats * bBytes) / 4);
    for (let r = 0; r < chunk; r++) heapI[aRows / 4 + r] = v + r * c * 4;
    for (let e = 0; e < mats; e++) {
      heapI[aOffs / 4 + e] = e * vStride;
      for (let r = 0; r < chunk; r++) heapI[cInd / 4 + e * chunk + r] = m + e * mStride + r * k * 4;
    }
    const { wgFilter, wgInput, wgOutput } = winogradOn(wb, tile);
    const { igemmOff } = gemmOn(wb, flavour);
    wgFilter(c, k, filter.src, filter.sKy, filter.sKx, filter.sRow, filter.sCol, bp, bBytes);
    const xAt = 4 * offsetF32(wb, x);
    const yAt = 4 * offsetF32(wb, y);
    for (let t0 = 0; t0 < tiles; t0 += chunk) {
      const count = Math.min(chunk, tiles - t0);
      wgInput(count, t0, tw, th, h, w, c, pt, pl, xAt, v, vStride);
      for (let e = 0; e < mats; e++) {
        igemmOff(count, k, 1, c, aRows, aOffs + 4 * e, 4, bp + e * bBytes, cInd + 4 * e * chunk, 0);
      }
      wgOutput(count, t0, tw, th, ho, wo, k, m, mStride, yAt);
    }
  } finally {
    scratch.free();
  }
  return y;
}

/** Conv2D (NHWC, `winogradFits(info)`) of x by filter [3,3,C,K] through Winograd. */
export function conv2DWinograd(
  wb: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  tile: WinogradTile = winogradTile(info, 'forward'),
  flavour: SimdFlavour = gemmFlavour(),
): tf.TensorInfo {
  const { inChannels: c, outChannels: k, outHeight: ho, outWidth: wo, padInfo } = info;
  const view = forwardFilter(4 * offsetF32(wb, filter), c, k);
  return winogradConv(wb, x, view, k, padInfo.top, padInfo.left, ho, wo, tile, flavour);
}

/**
 * dx [B,H,W,C] of that Conv2D from dy [B,Ho,Wo,K]: dx(i) = sum_k dy(i - k + pad) w(k) = a 3x3 convolution of dy
 * with the filter rotated (tap 2 - k), its channels swapped, and the window starting 2 - pad before the output.
 */
export function backpropInputWinograd(
  wb: WasmBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  tile: WinogradTile = winogradTile(info, 'inputGradient'),
  flavour: SimdFlavour = gemmFlavour(),
): tf.TensorInfo {
  const { inChannels: c, outChannels: k, inHeight: h, inWidth: w, padInfo } = info;
  const view = rotatedFilter(4 * offsetF32(wb, filter), c, k);
  return winogradConv(wb, dy, view, c, 2 - padInfo.top, 2 - padInfo.left, h, w, tile, flavour);
}

/**
 * FLOPs of Winograd's own multiply-adds in the forward convolution `info`, its input gradient or its filter
 * gradient, as the kernels route them (the a*a GEMMs over the tiles; the transforms' adds not counted): what a bench
 * divides by the time for Winograd's arithmetic rate, beside the "effective" rate of the direct convolution's FLOPs.
 */
export function winogradGemmFlops(info: tf.backend_util.Conv2DInfo, which: WinogradKernel): number {
  const tile = winogradTile(info, which);
  const [h, w] = which === 'inputGradient' ? [info.inHeight, info.inWidth] : [info.outHeight, info.outWidth];
  const tiles = info.batchSize * Math.ceil(h / tile) * Math.ceil(w / tile);
  return 2 * (tile + 2) ** 2 * tiles * info.inChannels * info.outChannels;
}

/**
 * Bytes of V and Z (a*a matrices each) per chunk of tiles in the filter gradient, and its fewest tiles per chunk:
 * the chunk is its GEMMs' k, and each chunk adds into all of dU (a*a*C*K floats). At 7x7 128->128 (16 tiles by
 * the bytes) 128 tiles took 0.73x the time (three runs in one process, alternating); 28x28 and 14x14 were even.
 */
const FILTER_GRAD_CHUNK_BYTES = 512 * 1024;
const MIN_FILTER_GRAD_CHUNK_TILES = 128;

/**
 * dW [3,3,C,K] of the Conv2D `info` (`winogradFits`) from x [B,H,W,C] and dy [B,Ho,Wo,K] through Winograd:
 * dU[e] = sum over output tiles of V[e]^T Z[e] (V = B^T d B of x's windows, as the forward's; Z = A dY A^T of dy's
 * tiles), a*a GEMMs with the C channels as rows, the tiles as k and the K channels as columns, accumulated over
 * the chunks of tiles; then dW = G^T dU G.
 */
export function backpropFilterWinograd(
  wb: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  tile: WinogradTile = winogradTile(info, 'filterGradient'),
  flavour: SimdFlavour = gemmFlavour(),
): tf.TensorInfo {
  const {
    batchSize: batch,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outChannels: k,
    outHeight: ho,
    outWidth: wo,
  } = info;
  const tw = Math.ceil(wo / tile);
  const th = Math.ceil(ho / tile);
  const tiles = batch * th * tw;
  const dw = allocF32(wb, [3, 3, c, k], tiles === 0);
  if (tiles === 0) return dw;
  const mats = (tile + 2) ** 2;
  const chunk = Math.max(
    MIN_FILTER_GRAD_CHUNK_TILES,
    Math.min(MAX_CHUNK_TILES, 4 * Math.floor(FILTER_GRAD_CHUNK_BYTES / (mats * 4 * (c + k) * 4))),
  );
  const scratch = new Scratch(wb);
  try {
    const vStride = chunk * c * 4 + SKEW_BYTES;
    const zStride = packedBFloats(chunk, k) * 4 + SKEW_BYTES;
    const duStride = c * k * 4 + SKEW_BYTES;
    const v = scratch.alloc(mats * vStride);
    const z = scratch.alloc(mats * zStride);
    const du = scratch.alloc(mats * duStride);
    const aRows = scratch.alloc(c * 4);
    const aOffs = scratch.alloc(mats * 4);
    const cInd = scratch.alloc(mats * c * 4);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    for (let r = 0; r < c; r++) heapI[aRows / 4 + r] = v + r * 4;
    for (let e = 0; e < mats; e++) {
      heapI[aOffs / 4 + e] = e * vStride;
      for (let r = 0; r < c; r++) heapI[cInd / 4 + e * c + r] = du + e * duStride + r * k * 4;
    }
    const { wgInput, wgDy, wgFilterGrad } = winogradOn(wb, tile);
    const { igemmOff } = gemmOn(wb, flavour);
    const xAt = 4 * offsetF32(wb, x);
    const dyAt = 4 * offsetF32(wb, dy);
    for (let t0 = 0; t0 < tiles; t0 += chunk) {
      const count = Math.min(chunk, tiles - t0);
      wgInput(count, t0, tw, th, h, w, c, info.padInfo.top, info.padInfo.left, xAt, v, vStride);
      wgDy(count, t0, tw, th, ho, wo, k, dyAt, z, zStride, count * GEMM_NR * 4);
      for (let e = 0; e < mats; e++) {
        igemmOff(c, k, 1, count, aRows, aOffs + 4 * e, c * 4, z + e * zStride, cInd + 4 * e * c, t0 > 0 ? 1 : 0);
      }
    }
    wgFilterGrad(c, k, du, duStride, 4 * offsetF32(wb, dw));
  } finally {
    scratch.free();
  }
  return dw;
}
