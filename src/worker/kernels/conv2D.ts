/**
 * Conv2D (forward) for the wasm backend on the project's SIMD GEMM microkernel (simd/igemmWat.ts), as an
 * indirect GEMM: output pixels are the GEMM's rows, (tap, input channel) its k, output channels its columns.
 * For each output pixel and tap an indirection table (written in wasm: simd/convTableWat.ts) points at the input
 * pixel's Ci channels (contiguous in NHWC), or at a zero row where the tap falls in the padding, so no im2col copy
 * is made. The filter
 * [kh,kw,Ci,Co] is already the [taps*Ci, Co] B matrix; it is packed once per call. Rows go through the kernel in
 * chunks sized for the L2 cache; the summation order per output is fixed (tap, then channel).
 *
 * Conv2DBackpropInput and the small-output Conv2DBackpropFilter are built on Conv2D and use this one too.
 * 3x3 stride-1 layers with enough channels go through Winograd instead (conv2DWinograd.ts: F(2x2,3x3) or F(4x4,3x3)).
 * NCHW and non-float32 inputs go to the stock kernel, and so do shapes with little work per output (a short k:
 * the 1-channel stem, 1x1 filters on 32 channels), where XNNPACK measured faster (bench/computeKernels.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { callStock } from './callKernel.js';
import { conv2DWinograd, winogradPays } from './conv2DWinograd.js';
import { allocF32, offsetF32 } from './heap.js';
import { gemmFlavour, gemmOn, packB, packedBFloats, Scratch } from './simd/gemm.js';
import type { SimdFlavour } from './simd/wasmFiles.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

/** Bytes of A (rows x taps x Ci floats) that one kernel call should touch: about half the 1 MiB L2. */
const CHUNK_A_BYTES = 256 * 1024;
const MIN_CHUNK_ROWS = 16;
const MAX_CHUNK_ROWS = 2048;
/** Below this k (taps x input channels) or this many input channels, XNNPACK's Conv2D is faster. */
const MIN_IGEMM_K = 128;
const MIN_IGEMM_CHANNELS = 8;

/** Whether the SIMD igemm is the faster Conv2D for this shape (measured at resnet-mini's shapes). */
function igemmConvPays(info: tf.backend_util.Conv2DInfo): boolean {
  return info.inChannels >= MIN_IGEMM_CHANNELS && info.filterHeight * info.filterWidth * info.inChannels >= MIN_IGEMM_K;
}

/** Output [B,Ho,Wo,Co] of the convolution `info` of x by filter, through the SIMD igemm. */
export function conv2DIgemm(
  wb: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  flavour: SimdFlavour = gemmFlavour(),
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
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  const { top: pt, left: pl } = info.padInfo;
  const out = allocF32(wb, [batch, ho, wo, co]);
  const m = batch * ho * wo;
  const taps = kh * kw;
  if (m === 0 || co === 0) return out;
  const chunk = Math.max(
    MIN_CHUNK_ROWS,
    Math.min(MAX_CHUNK_ROWS, 4 * Math.floor(CHUNK_A_BYTES / (taps * Math.max(ci, 1) * 4 * 4))),
  );
  const scratch = new Scratch(wb);
  try {
    const bp = scratch.alloc(packedBFloats(taps * ci, co) * 4);
    const zero = scratch.alloc(Math.max(ci, 4) * 4);
    const aInd = scratch.alloc(chunk * taps * 4);
    const cInd = scratch.alloc(chunk * 4);
    const tapY = scratch.alloc(taps * 4);
    const tapX = scratch.alloc(taps * 4);
    const heap = new Float32Array(wb.module.HEAPU8.buffer);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    heap.fill(0, zero / 4, zero / 4 + Math.max(ci, 4));
    packB(wb, offsetF32(wb, filter), taps * ci, co, co, bp / 4);
    // each tap's input row and column relative to the output pixel's (y*sh, x*sw)
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        heapI[tapY / 4 + ky * kw + kx] = ky * dh - pt;
        heapI[tapX / 4 + ky * kw + kx] = kx * dw - pl;
      }
    }
    const xBase = 4 * offsetF32(wb, x);
    const oBase = 4 * offsetF32(wb, out);
    const { igemm, convTable } = gemmOn(wb, flavour);
    const pixelBytes = ci * 4;
    const outPixelBytes = co * 4;
    for (let r0 = 0; r0 < m; r0 += chunk) {
      const rows = Math.min(chunk, m - r0);
      convTable(
        rows,
        r0,
        wo,
        ho,
        taps,
        tapY,
        tapX,
        sh,
        sw,
        h,
        w,
        xBase,
        h * w * pixelBytes,
        w * pixelBytes,
        pixelBytes,
        zero,
        aInd,
        oBase,
        ho * wo * outPixelBytes,
        wo * outPixelBytes,
        outPixelBytes,
        cInd,
      );
      igemm(rows, co, taps, ci, aInd, 4, bp, cInd, 0);
    }
  } finally {
    scratch.free();
  }
  return out;
}

function conv2D(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const a = attrs as unknown as tf.Conv2DAttrs;
  const { x, filter } = inputs as unknown as { x: tf.TensorInfo; filter: tf.TensorInfo };
  if (a.dataFormat === 'NCHW' || x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return callStock(be, 'Conv2D', inputs, attrs);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (winogradPays(info)) return conv2DWinograd(wasmBackend(be), x, filter, info);
  if (!igemmConvPays(info)) return callStock(be, 'Conv2D', inputs, attrs);
  return conv2DIgemm(wasmBackend(be), x, filter, info);
}

export const conv2DConfig = wasmKernel(tf.Conv2D, conv2D);
