/**
 * Training-mode batch normalisation in fewer passes over memory (simd/batchNormWat.ts), as two kernels that
 * fastForward's batchNormTrain calls on wasm (channels last, channel count a multiple of 4):
 * - forward, 3 passes (column sums; squared deviations; normalise), inputs x, gamma, beta, attr epsilon; outputs
 *   y, the batch mean and biased variance, a = gamma / sqrt(var + eps) and inv = 1 / sqrt(var + eps);
 * - backward, 2 passes (sums of dy and dy * (x - mean); dx), inputs dy, x, mean, a, inv; outputs dx, dgamma, dbeta:
 *     dx = a (dy - mean(dy) - (x - mean) inv^2 mean(dy (x - mean))),  dgamma = sum(dy (x - mean)) inv,  dbeta = sum(dy)
 * The centred x is recomputed from x and the mean instead of being stored (one activation-sized tensor less).
 * With attr relu, a ReLU after the normalisation is fused in: y = max(0, ...), and the backward (which then also
 * takes beta) zeroes dy where the recomputed normalised value is not > 0.
 */
import * as tf from '@tensorflow/tfjs';
import { allocF32, offsetF32 } from './heap.js';
import { Scratch } from './simd/gemm.js';
import { instanceOn } from './simd/loadSimd.js';
import { wasmBackend, type WasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

export const BATCH_NORM_TRAIN = 'SuperconvergeBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'SuperconvergeBatchNormTrainGrad';

interface BatchNormExports {
  colSums(x: number, n: number, c: number, out: number, blk: number): void;
  sqDevSums(x: number, n: number, c: number, mean: number, out: number, blk: number): void;
  gradSums(
    dy: number,
    x: number,
    n: number,
    c: number,
    mean: number,
    o1: number,
    o2: number,
    b1: number,
    b2: number,
  ): void;
  gradSumsRelu(
    dy: number,
    x: number,
    n: number,
    c: number,
    mean: number,
    a: number,
    b: number,
    o1: number,
    o2: number,
    b1: number,
    b2: number,
  ): void;
  normalize(x: number, n: number, c: number, mean: number, a: number, b: number, y: number): void;
  normalizeRelu(x: number, n: number, c: number, mean: number, a: number, b: number, y: number): void;
  normalizeGrad(
    dy: number,
    x: number,
    n: number,
    c: number,
    mean: number,
    a: number,
    k: number,
    m: number,
    dx: number,
  ): void;
  normalizeGradRelu(
    dy: number,
    x: number,
    n: number,
    c: number,
    mean: number,
    a: number,
    b: number,
    k: number,
    m: number,
    dx: number,
  ): void;
}

function passes(wb: WasmBackend): BatchNormExports {
  // no multiply-adds here: the plain SIMD128 build
  return instanceOn(wb.module.asm.memory, 'batchNorm', 'simd') as unknown as BatchNormExports;
}

/** Whether the fused kernels take an activation of this shape (channels last, a multiple of 4 channels). */
export function fusedBatchNormTakes(shape: number[]): boolean {
  const c = shape[shape.length - 1];
  return shape.length >= 2 && c > 0 && c % 4 === 0;
}

const bytes = (wb: WasmBackend, t: tf.TensorInfo): number => 4 * offsetF32(wb, t);

function forward(args: KernelArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = args.inputs as unknown as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const epsilon = args.attrs.epsilon as number;
  const relu = args.attrs.relu === true;
  const wb = wasmBackend(args.backend);
  const c = x.shape[x.shape.length - 1];
  const n = tf.util.sizeFromShape(x.shape) / c;
  const y = allocF32(wb, x.shape);
  // Written out rather than destructured from a .map(): the destructuring deoptimized this function ("wrong map")
  // after V8 had optimized it, tens of steps into training, and it was compiled again in every worker.
  const mean = allocF32(wb, [c]);
  const variance = allocF32(wb, [c]);
  const a = allocF32(wb, [c]);
  const inv = allocF32(wb, [c]);
  const scratch = new Scratch(wb);
  try {
    const blk = scratch.alloc(c * 4);
    const p = passes(wb);
    p.colSums(bytes(wb, x), n, c, bytes(wb, mean), blk);
    const heap = new Float32Array(wb.module.HEAPU8.buffer);
    const m = offsetF32(wb, mean);
    const v = offsetF32(wb, variance);
    const av = offsetF32(wb, a);
    const iv = offsetF32(wb, inv);
    const g = offsetF32(wb, gamma);
    for (let j = 0; j < c; j++) heap[m + j] /= n;
    p.sqDevSums(bytes(wb, x), n, c, bytes(wb, mean), bytes(wb, variance), blk);
    for (let j = 0; j < c; j++) {
      heap[v + j] /= n;
      heap[iv + j] = 1 / Math.sqrt(Math.fround(heap[v + j] + epsilon));
      heap[av + j] = heap[g + j] * heap[iv + j];
    }
    (relu ? p.normalizeRelu : p.normalize)(
      bytes(wb, x),
      n,
      c,
      bytes(wb, mean),
      bytes(wb, a),
      bytes(wb, beta),
      bytes(wb, y),
    );
  } finally {
    scratch.free();
  }
  return [y, mean, variance, a, inv];
}

function backward(args: KernelArgs): tf.TensorInfo[] {
  const { dy, x, mean, a, inv, beta } = args.inputs as unknown as Record<
    'dy' | 'x' | 'mean' | 'a' | 'inv' | 'beta',
    tf.TensorInfo
  >;
  const relu = args.attrs.relu === true;
  const wb = wasmBackend(args.backend);
  const c = x.shape[x.shape.length - 1];
  const n = tf.util.sizeFromShape(x.shape) / c;
  const dx = allocF32(wb, x.shape);
  const dGamma = allocF32(wb, [c]);
  const dBeta = allocF32(wb, [c]);
  const scratch = new Scratch(wb);
  try {
    // Written out for the same reason as forward's.
    const b1 = scratch.alloc(c * 4);
    const b2 = scratch.alloc(c * 4);
    const k = scratch.alloc(c * 4);
    const m = scratch.alloc(c * 4);
    const p = passes(wb);
    if (relu) {
      p.gradSumsRelu(
        bytes(wb, dy),
        bytes(wb, x),
        n,
        c,
        bytes(wb, mean),
        bytes(wb, a),
        bytes(wb, beta),
        bytes(wb, dBeta),
        bytes(wb, dGamma),
        b1,
        b2,
      );
    } else {
      p.gradSums(bytes(wb, dy), bytes(wb, x), n, c, bytes(wb, mean), bytes(wb, dBeta), bytes(wb, dGamma), b1, b2);
    }
    const heap = new Float32Array(wb.module.HEAPU8.buffer);
    const sDy = offsetF32(wb, dBeta);
    const sDyXc = offsetF32(wb, dGamma);
    const iv = offsetF32(wb, inv);
    for (let j = 0; j < c; j++) {
      heap[m / 4 + j] = heap[sDy + j] / n;
      heap[k / 4 + j] = heap[iv + j] * heap[iv + j] * (heap[sDyXc + j] / n);
      heap[sDyXc + j] *= heap[iv + j]; // dgamma, in place of the sum
    }
    if (relu) {
      p.normalizeGradRelu(
        bytes(wb, dy),
        bytes(wb, x),
        n,
        c,
        bytes(wb, mean),
        bytes(wb, a),
        bytes(wb, beta),
        k,
        m,
        bytes(wb, dx),
      );
    } else {
      p.normalizeGrad(bytes(wb, dy), bytes(wb, x), n, c, bytes(wb, mean), bytes(wb, a), k, m, bytes(wb, dx));
    }
  } finally {
    scratch.free();
  }
  return [dx, dGamma, dBeta];
}

export const batchNormTrainConfig = wasmKernel(BATCH_NORM_TRAIN, forward);

export const batchNormTrainGradConfig = wasmKernel(BATCH_NORM_TRAIN_GRAD, backward);
