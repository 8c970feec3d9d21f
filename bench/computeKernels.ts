/**
 * Per-layer speed of the convolution kernels at resnet-mini's shapes (batch 128) on wasm, against the SIMD peak
 * measured in the same process: forward Conv2D (stock XNNPACK and the project's SIMD igemm), Conv2DBackpropInput
 * and Conv2DBackpropFilter as registered, GFLOP/s from the median of 5 runs after a warm-up. dy is re-created for
 * every run, so no XNNPACK operator cache (keyed by tensor id) flatters a kernel.
 *
 * Times are this process's CPU time (process.cpuUsage; the kernels run on one thread): on a shared machine the
 * wall time also counts the time other processes hold the core, the CPU time does not. The SIMD peak is timed
 * the same way, so each share of it compares like with like.
 * Where the three kernels take Winograd F(2x2,3x3) or F(4x4,3x3) (conv2DWinograd.ts), their GFLOP/s and shares
 * are *effective* (the direct convolution's FLOPs over the time, so the kernels compare as alternatives), marked
 * `W`, and the layer's `winogradGflop` (Winograd's own multiply-adds) gives its arithmetic rate.
 * Usage: node dist/bench/computeKernels.js [layer-name-filter]; prints a table, then one JSON line.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { callStock } from '../src/worker/kernels/callKernel.js';
import { winogradGemmFlops, winogradPays } from '../src/worker/kernels/conv2DWinograd.js';
import { registerWasmKernels } from '../src/worker/kernels/index.js';
import { gemmFlavour } from '../src/worker/kernels/simd/gemm.js';
import { relaxedSimdSupported, simdModule } from '../src/worker/kernels/simd/loadSimd.js';
import { PEAK_FLOPS_PER_ITERATION } from '../src/worker/kernels/simd/simdPeakWat.js';
import type { SimdFlavour } from '../src/worker/kernels/simd/wasmFiles.js';
import { median } from './computeSetup.js';

/** resnet-mini's convolutions: name, input size, Ci, Co, filter size, stride, how many such layers it has. */
export const LAYERS: Array<[string, number, number, number, number, number, number]> = [
  ['stem 28x28 1->32', 28, 1, 32, 3, 1, 1],
  ['28x28 32->32', 28, 32, 32, 3, 1, 2],
  ['28->14 32->64 s2', 28, 32, 64, 3, 2, 1],
  ['28->14 1x1 s2', 28, 32, 64, 1, 2, 1],
  ['14x14 64->64', 14, 64, 64, 3, 1, 1],
  ['14->7 64->128 s2', 14, 64, 128, 3, 2, 1],
  ['14->7 1x1 s2', 14, 64, 128, 1, 2, 1],
  ['7x7 128->128', 7, 128, 128, 3, 1, 1],
];

/** One layer's inputs at batch `b` (random x and filter), its output shape, GFLOP, the Conv2D attributes and its Conv2DInfo. */
export function convCase(
  size: number,
  ci: number,
  co: number,
  k: number,
  s: number,
  b = 128,
): {
  x: tf.Tensor;
  w: tf.Tensor;
  yShape: number[];
  gflop: number;
  attrs: tf.NamedAttrMap;
  info: tf.backend_util.Conv2DInfo;
} {
  const x = tf.randomNormal([b, size, size, ci]);
  const w = tf.randomNormal([k, k, ci, co]);
  const yShape = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, 'same').shape;
  const gflop = (2 * b * yShape[1] * yShape[2] * k * k * ci * co) / 1e9;
  const attrs = {
    strides: [s, s],
    pad: 'same',
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    dilations: [1, 1],
    filterShape: w.shape,
    inputShape: x.shape,
  } as unknown as tf.NamedAttrMap;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    w.shape as [number, number, number, number],
    s,
    1,
    'same',
    undefined,
    false,
    'channelsLast',
  );
  return { x, w, yShape, gflop, attrs, info };
}

export interface KernelLayerResult {
  name: string;
  gflop: number;
  /** CPU ms, medians: stock XNNPACK Conv2D, the registered Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter. */
  fwdStockMs: number;
  fwdMs: number;
  dxMs: number;
  dwMs: number;
  /**
   * GFLOP of Winograd's own multiply-adds (forward, input gradient, filter gradient) where the kernels take
   * Winograd (their times are then effective), else null
   */
  winogradGflop: [fwd: number, dx: number, dW: number] | null;
}

export interface KernelBenchResult {
  flavour: SimdFlavour;
  peakGflops: Partial<Record<SimdFlavour, number>>;
  layers: KernelLayerResult[];
}

function cpuMs(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1000;
}

/** GFLOP/s of the register-blocked peak loop (simdPeakWat.ts), median of 5 after a warm-up, CPU-timed. */
export function simdPeakGflops(flavour: SimdFlavour): number {
  const peak = new WebAssembly.Instance(simdModule('simdPeak', flavour), {}).exports.peak as (n: number) => number;
  const n = 10_000_000;
  peak(n);
  return median(Array.from({ length: 5 }, () => (n * PEAK_FLOPS_PER_ITERATION) / cpuMs(() => peak(n)) / 1e6));
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  registerWasmKernels();
  const only = process.argv[2];
  const be = tf.backend();
  const result: KernelBenchResult = { flavour: gemmFlavour(), peakGflops: {}, layers: [] };
  for (const flavour of relaxedSimdSupported() ? (['simd', 'relaxed'] as const) : (['simd'] as const)) {
    result.peakGflops[flavour] = simdPeakGflops(flavour);
  }
  for (const [name, size, ci, co, k, s] of LAYERS) {
    if (only && !name.includes(only)) continue;
    const { x, w, yShape, gflop, attrs, info } = convCase(size, ci, co, k, s);
    const time = (f: (fresh: tf.Tensor) => tf.TensorInfo | tf.TensorInfo[]): number => {
      const t: number[] = [];
      for (let i = 0; i < 6; i++) {
        const fresh = tf.randomNormal(yShape);
        let out: tf.TensorInfo | tf.TensorInfo[] = [];
        const ms = cpuMs(() => {
          out = f(fresh);
        });
        for (const o of Array.isArray(out) ? out : [out]) be.disposeData(o.dataId);
        fresh.dispose();
        if (i > 0) t.push(ms);
      }
      return median(t);
    };
    const kernel = (kn: string, inputs: tf.NamedTensorInfoMap): tf.TensorInfo | tf.TensorInfo[] =>
      tf.getKernel(kn, 'wasm')!.kernelFunc({ inputs, backend: be, attrs });
    // a fresh filter per run for the forward (XNNPACK caches its packed weights by tensor id)
    const wFresh = (): tf.Tensor => tf.randomNormal(w.shape);
    const fwdStockMs = time(() => {
      const f = wFresh();
      const o = callStock(be, 'Conv2D', { x, filter: f }, attrs);
      f.dispose();
      return o;
    });
    const fwdMs = time(() => {
      const f = wFresh();
      const o = kernel('Conv2D', { x, filter: f });
      f.dispose();
      return o;
    });
    const dxMs = time((dy) => kernel('Conv2DBackpropInput', { dy, filter: w }));
    const dwMs = time((dy) => kernel('Conv2DBackpropFilter', { x, dy }));
    const winogradGflop: KernelLayerResult['winogradGflop'] = winogradPays(info)
      ? [
          winogradGemmFlops(info, 'forward') / 1e9,
          winogradGemmFlops(info, 'inputGradient') / 1e9,
          winogradGemmFlops(info, 'filterGradient') / 1e9,
        ]
      : null;
    result.layers.push({ name, gflop, fwdStockMs, fwdMs, dxMs, dwMs, winogradGflop });
    const peak = result.peakGflops[result.flavour]!;
    const fmt = (ms: number): string =>
      `${((gflop / ms) * 1e3).toFixed(1).padStart(5)} GF/s ${((((100 * gflop) / ms) * 1e3) / peak).toFixed(0).padStart(3)}%`;
    const wino = (ms: number, i: 0 | 1 | 2): string =>
      winogradGflop == null ? '' : ` W (arithmetic ${((((100 * winogradGflop[i]) / ms) * 1e3) / peak).toFixed(0)}%)`;
    console.log(
      `${name.padEnd(18)} ${gflop.toFixed(2)} GFLOP | fwd stock ${fmt(fwdStockMs)} | fwd ${fmt(fwdMs)}${wino(fwdMs, 0)} | ` +
        `dx ${fmt(dxMs)}${wino(dxMs, 1)} | dW ${fmt(dwMs)}${wino(dwMs, 2)}`,
    );
    tf.dispose([x, w]);
  }
  console.log(
    `SIMD peak (same process, CPU-timed): ${Object.entries(result.peakGflops)
      .map(([f, g]) => `${f} ${g!.toFixed(1)}`)
      .join(', ')} GFLOP/s; kernels use ${result.flavour}; % = share of that peak; W = Winograd: ` +
      "GF/s and % effective (direct convolution's FLOPs / time), arithmetic = Winograd's own multiply-adds / time",
  );
  console.log(JSON.stringify(result));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
