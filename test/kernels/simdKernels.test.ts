/**
 * The SIMD GEMM microkernel and the Conv2D built on it, against references: the GEMM against a float64 product,
 * Conv2D against the stock wasm (XNNPACK) kernel, over tables of shapes (edges of the register tile, k of 1 and
 * odd k, channel counts not a multiple of 4, batch 1, strides 1-3, same/valid/explicit padding, dilation), in both flavours (plain SIMD128 and relaxed SIMD), and bitwise the same when run again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { callStock } from '../../src/worker/kernels/callKernel.js';
import { conv2DIgemm } from '../../src/worker/kernels/conv2D.js';
import { gemmOn, packB, packedBFloats, Scratch } from '../../src/worker/kernels/simd/gemm.js';
import type { SimdFlavour } from '../../src/worker/kernels/simd/wasmFiles.js';
import { type WasmBackend } from '../../src/worker/kernels/wasmBackend.js';
import { relErr, seeded, seededTensor, simdFlavours, wasmWithKernels } from './compare.js';

/** float32 results of sums over at most ~1200 products of values in [-0.5, 0.5), relative to the largest output. */
const TOL = 1e-5;

/**
 * C = A.B (+ C0 when accumulating) through igemm, with A's rows gathered through the indirection table, or through
 * igemmOff ('offsets'), with a base per row and an offset per tap.
 */
function runGemm(
  wb: WasmBackend,
  flavour: SimdFlavour,
  addressing: 'indirect' | 'offsets',
  m: number,
  n: number,
  taps: number,
  kc: number,
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array | null,
): Float32Array {
  const s = new Scratch(wb);
  try {
    const k = taps * kc;
    const pa = s.alloc(a.length * 4 + 16);
    const pb = s.alloc(b.length * 4);
    const bp = s.alloc(packedBFloats(k, n) * 4);
    const pc = s.alloc(m * n * 4);
    const aInd = s.alloc(m * taps * 4);
    const aRows = s.alloc(m * 4);
    const aOffs = s.alloc(taps * 4);
    const cInd = s.alloc(m * 4);
    const heap = new Float32Array(wb.module.HEAPU8.buffer);
    const heapI = new Int32Array(wb.module.HEAPU8.buffer);
    heap.set(a, pa / 4);
    heap.set(b, pb / 4);
    const init = c0 ?? new Float32Array(m * n).fill(NaN);
    for (let r = 0; r < m; r++) heap.set(init.subarray(r * n, (r + 1) * n), pc / 4 + (m - 1 - r) * n);
    packB(wb, pb / 4, k, n, n, bp / 4);
    // row r, tap t reads A[r, t*kc .. t*kc+kc) (A is m x k row-major); rows are stored in reverse order in C
    for (let r = 0; r < m; r++) {
      for (let t = 0; t < taps; t++) heapI[aInd / 4 + r * taps + t] = pa + (r * k + t * kc) * 4;
      heapI[aRows / 4 + r] = pa + r * k * 4;
      heapI[cInd / 4 + r] = pc + (m - 1 - r) * n * 4;
    }
    for (let t = 0; t < taps; t++) heapI[aOffs / 4 + t] = t * kc * 4;
    const accumulate = c0 == null ? 0 : 1;
    if (addressing === 'indirect') gemmOn(wb, flavour).igemm(m, n, taps, kc, aInd, 4, bp, cInd, accumulate);
    else gemmOn(wb, flavour).igemmOff(m, n, taps, kc, aRows, aOffs, 4, bp, cInd, accumulate);
    const out = new Float32Array(m * n);
    for (let r = 0; r < m; r++) out.set(heap.subarray(pc / 4 + (m - 1 - r) * n, pc / 4 + (m - r) * n), r * n);
    return out;
  } finally {
    s.free();
  }
}

const GEMM_SHAPES: Array<[m: number, n: number, taps: number, kc: number]> = [
  [1, 1, 1, 1],
  [4, 8, 1, 4],
  [5, 9, 1, 7],
  [3, 7, 1, 3],
  [13, 17, 2, 5],
  [64, 32, 9, 32],
  [37, 33, 3, 13],
  [9, 128, 1, 130],
  [100, 10, 9, 1],
  [8, 16, 1, 1024],
];

for (const [m, n, taps, kc] of GEMM_SHAPES) {
  for (const accumulate of [false, true]) {
    test(`igemm and igemmOff equal a float64 product: m ${m} n ${n} taps ${taps} kc ${kc}${accumulate ? ' accumulating' : ''}`, async () => {
      const wb = await wasmWithKernels();
      const k = taps * kc;
      const a = seeded(m * k, m + 7 * k);
      const b = seeded(k * n, n + 3 * k);
      const c0 = accumulate ? seeded(m * n, 5) : null;
      const ref = new Float32Array(m * n);
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let q = 0; q < k; q++) sum += a[r * k + q] * b[q * n + j];
          ref[r * n + j] = (c0?.[r * n + j] ?? 0) + sum;
        }
      }
      for (const flavour of simdFlavours()) {
        const got = runGemm(wb, flavour, 'indirect', m, n, taps, kc, a, b, c0);
        const err = relErr(got, ref);
        assert.ok(err < TOL, `${flavour}: relative error ${err.toExponential(2)} >= ${TOL}`);
        assert.deepEqual(
          runGemm(wb, flavour, 'indirect', m, n, taps, kc, a, b, c0),
          got,
          `${flavour}: not bitwise repeatable`,
        );
        // the same products in the same order: bitwise the same as igemm's
        assert.deepEqual(
          runGemm(wb, flavour, 'offsets', m, n, taps, kc, a, b, c0),
          got,
          `${flavour}: igemmOff differs from igemm`,
        );
      }
    });
  }
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const CONV_SHAPES: Array<
  [
    name: string,
    x: [number, number, number, number],
    k: [number, number, number],
    stride: number,
    pad: Pad,
    dilation?: number,
  ]
> = [
  ['resnet-mini 28x28 32->32 (batch 2)', [2, 28, 28, 32], [3, 3, 32], 1, 'same'],
  ['resnet-mini 28->14 32->64 s2', [2, 28, 28, 32], [3, 3, 64], 2, 'same'],
  ['resnet-mini 7x7 128->128', [2, 7, 7, 128], [3, 3, 128], 1, 'same'],
  ['batch 1, odd 9x11, 5->6 channels', [1, 9, 11, 5], [3, 3, 6], 1, 'same'],
  ['stride 2 valid 11x11, 13->9', [2, 11, 11, 13], [3, 3, 9], 2, 'valid'],
  ['stride 2 same 12x12 (even), 3->7', [1, 12, 12, 3], [3, 3, 7], 2, 'same'],
  ['stride 3, 5x5 filter, 6->5', [2, 10, 10, 6], [5, 5, 5], 3, 'same'],
  ['1x1 stride 2, 17->11', [3, 9, 9, 17], [1, 1, 11], 2, 'same'],
  ['1 input channel (stem-like)', [2, 8, 8, 1], [3, 3, 10], 1, 'same'],
  [
    'explicit padding',
    [2, 9, 8, 7],
    [3, 3, 4],
    2,
    [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  ],
  ['dilation 2', [2, 12, 10, 9], [3, 3, 8], 1, 'same', 2],
  ['filter larger than input (valid -> 1x1)', [2, 3, 3, 4], [3, 3, 5], 1, 'valid'],
];

for (const [name, xShape, [kh, kw, co], stride, pad, dilation = 1] of CONV_SHAPES) {
  test(`igemm Conv2D equals the stock wasm Conv2D: ${name}`, async () => {
    const wb = await wasmWithKernels();
    const x = seededTensor(xShape, 11);
    const w = seededTensor([kh, kw, xShape[3], co], 12);
    const attrs = {
      strides: [stride, stride],
      pad,
      dataFormat: 'NHWC',
      dilations: [dilation, dilation],
      dimRoundingMode: undefined,
    };
    const ref = callStock(
      tf.backend(),
      'Conv2D',
      { x, filter: w },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.TensorInfo;
    const refValues = tf.engine().makeTensorFromTensorInfo(ref).dataSync() as Float32Array;
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      [kh, kw, xShape[3], co],
      [stride, stride],
      [dilation, dilation],
      pad,
      undefined,
      false,
      'channelsLast',
    );
    for (const flavour of simdFlavours()) {
      const runs = [0, 1].map(() => {
        const out = conv2DIgemm(wb, x, w, info, flavour);
        assert.deepEqual(out.shape, ref.shape);
        return tf.engine().makeTensorFromTensorInfo(out).dataSync() as Float32Array;
      });
      const err = relErr(runs[0], refValues);
      assert.ok(err < TOL, `${flavour}: relative error ${err.toExponential(2)} >= ${TOL}`);
      assert.deepEqual(runs[1], runs[0], `${flavour}: not bitwise repeatable`);
    }
    tf.dispose([x, w]);
  });
}
