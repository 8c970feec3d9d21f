/**
 * One benchmark process: train a model for some steps on one backend and print one JSON line with the step
 * times (Replica.computeGradients + applyUpdate, as a worker runs them), the wasm heap size (its peak: the heap
 * never shrinks) and, on wasm, the XNNPACK matmul GFLOP/s measured in the same process.
 * Usage: node dist/bench/computeRun.js '{"backend":"wasm","model":"resnet-mini","batch":128,"forward":"fast",
 *   "warmup":2,"steps":7}'
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../src/worker/kernels/index.js';
import { buildModel } from '../src/worker/models/index.js';
import { Replica } from '../src/worker/replica/index.js';
import { relaxedSimdSupported } from '../src/worker/kernels/simd/loadSimd.js';
import type { SimdFlavour } from '../src/worker/kernels/simd/wasmFiles.js';
import { simdPeakGflops } from './computeKernels.js';
import { selectBackend } from '../src/worker/backend/index.js';
import { describeAdapter } from '../src/shared/gpu/index.js';
import { forwardFlopsPerExample, forwardFor, median, randomBatch, trainInputShape } from './computeSetup.js';

export interface RunSpec {
  backend: 'wasm' | 'cpu' | 'tensorflow' | 'webgpu';
  model: string;
  batch: number;
  forward: 'fast' | 'layers';
  warmup: number;
  steps: number;
}

export interface RunResult {
  spec: RunSpec;
  stepMs: number[];
  /** The same steps' CPU time (the step runs on one thread): what other processes on the machine do not add to. */
  stepCpuMs: number[];
  flopsPerStep: number;
  /** The SIMD peak (simd and relaxed, CPU-timed) measured in this process, on wasm. */
  simdPeakGflops: Partial<Record<SimdFlavour, number>> | null;
  heapMiB: number | null;
  matmulGflops: number | null;
  /** webgpu: the adapter, as describeAdapter words it. */
  adapter?: string;
}

/** XNNPACK matmul speed: 1024^3 products with a fresh right operand each time (so packing is counted). */
function matmulGflops(): number {
  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const b = tf.randomNormal([n, n]);
    const t0 = performance.now();
    tf.matMul(a, b).dispose();
    const ms = performance.now() - t0;
    if (i > 0) times.push(ms);
    b.dispose();
  }
  a.dispose();
  return (2 * n ** 3) / median(times) / 1e6;
}

export async function run(spec: RunSpec): Promise<RunResult> {
  if (spec.backend === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
  if (spec.backend === 'wasm') registerWasmKernels();
  const adapter = spec.backend === 'webgpu' ? (await selectBackend('webgpu')).adapter : undefined;
  if (!(await tf.setBackend(spec.backend))) throw new Error(`backend ${spec.backend} failed to initialise`);
  await tf.ready();
  const shape = trainInputShape(spec.model);
  const model = buildModel(spec.model, { inputShape: shape, numClasses: 10, seed: 1 });
  const replica = await Replica.create(model, forwardFor(spec.forward));
  const batch = randomBatch(spec.batch, shape, 7);
  const h = { groupLrs: [0.01], momentum: 0.9, groupWeightDecays: [1e-4] }; // one layer group
  const stepCpuMs: number[] = [];
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await replica.computeGradients(batch, spec.batch);
    replica.applyUpdate(r.gradients, h, 'coupled');
    const c = process.cpuUsage(c0);
    stepCpuMs.push((c.user + c.system) / 1000);
    return performance.now() - t0;
  };
  for (let i = 0; i < spec.warmup; i++) await step();
  stepCpuMs.length = 0;
  const stepMs: number[] = [];
  for (let i = 0; i < spec.steps; i++) stepMs.push(await step());
  const wasm = spec.backend === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm : null;
  const heapMiB = wasm ? wasm.HEAPU8.length / 2 ** 20 : null;
  const flavours: SimdFlavour[] = relaxedSimdSupported() ? ['simd', 'relaxed'] : ['simd'];
  return {
    spec,
    stepMs,
    stepCpuMs,
    flopsPerStep: 3 * forwardFlopsPerExample(model) * spec.batch,
    heapMiB,
    matmulGflops: wasm ? matmulGflops() : null,
    simdPeakGflops: wasm ? Object.fromEntries(flavours.map((f) => [f, simdPeakGflops(f)])) : null,
    ...(adapter && { adapter: describeAdapter(adapter) }),
  };
}

const isMain = process.argv[1]?.endsWith('computeRun.js');
if (isMain) {
  run(JSON.parse(process.argv[2] ?? '{}') as RunSpec).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
