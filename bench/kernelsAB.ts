/**
 * Before/after of the conv kernels in ONE process: this build's Conv2D, Conv2DBackpropInput and
 * Conv2DBackpropFilter against another build's (a copy of an older dist/), called alternately on the same tensors
 * at resnet-mini's shapes (batch 128), so that a busy moment of a shared machine hits both alike. Each kernel of
 * each build is timed by its CPU time (process.cpuUsage), medians over `reps` calls after one warm-up; the SIMD peak
 * (simdPeakWat.ts) is measured before and after in the same process, and every figure is also given as a share of
 * its median.
 *
 * Usage: node dist/bench/kernelsAB.js OTHER_DIST [reps (9)] [layers, comma-separated (all)] [kernels (fwd,dx,dW)]
 * The other build must load the same @tensorflow/tfjs as this one (the kernels call the backend's registry), so
 * give it this checkout's node_modules: build the old commit, then
 * `mkdir -p /tmp/ab && cp -r dist /tmp/ab/ && ln -sfn "$PWD/node_modules" /tmp/ab/node_modules`, build the new one
 * and run `node dist/bench/kernelsAB.js /tmp/ab/dist`. Prints a table (B = this build, A = the other), then one JSON
 * line.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2DConfig } from '../src/worker/kernels/conv2D.js';
import { conv2DBackpropFilterConfig } from '../src/worker/kernels/conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from '../src/worker/kernels/conv2DBackpropInput.js';
import { winogradGemmFlops, winogradPays } from '../src/worker/kernels/conv2DWinograd.js';
import { registerWasmKernels } from '../src/worker/kernels/index.js';
import { gemmFlavour } from '../src/worker/kernels/simd/gemm.js';
import { wasmKernels } from '../src/worker/kernels/wasmKernels.js';
import { convCase, LAYERS, simdPeakGflops } from './computeKernels.js';
import { median } from './computeSetup.js';

type KernelName = 'fwd' | 'dx' | 'dW';
type KernelFn = tf.KernelConfig['kernelFunc'];

interface Build {
  kernels: Record<KernelName, KernelFn>;
  /** make this build's kernels the registered ones (the kernels call each other through the registry) */
  register: () => void;
}

/** The other build's kernels; `stock` are the wasm backend's own kernels, recorded as its fallbacks. */
async function otherBuild(dist: string, stock: Map<string, tf.KernelFunc>): Promise<Build> {
  const at = (file: string): string => pathToFileURL(resolve(dist, 'src/worker/kernels', file)).href;
  try {
    const fwd = (await import(at('conv2D.js'))) as { conv2DConfig: tf.KernelConfig };
    const dx = (await import(at('conv2DBackpropInput.js'))) as { conv2DBackpropInputConfig: tf.KernelConfig };
    const dW = (await import(at('conv2DBackpropFilter.js'))) as { conv2DBackpropFilterConfig: tf.KernelConfig };
    const call = (await import(at('callKernel.js'))) as {
      rememberStockKernel: (name: string, f: tf.KernelFunc) => void;
    };
    const reg = (await import(at('registerWasmKernels.js'))) as { registerWasmKernels: () => void };
    // its fallbacks are the stock kernels, not this build's (its registerWasmKernels records what it replaces)
    for (const [name, f] of stock) call.rememberStockKernel(name, f);
    return {
      kernels: {
        fwd: fwd.conv2DConfig.kernelFunc,
        dx: dx.conv2DBackpropInputConfig.kernelFunc,
        dW: dW.conv2DBackpropFilterConfig.kernelFunc,
      },
      register: reg.registerWasmKernels,
    };
  } catch (e) {
    throw new Error(`kernelsAB: cannot load the other build's kernels from ${dist} (${(e as Error).message})`, {
      cause: e,
    });
  }
}

async function main(): Promise<void> {
  const [dist, repsArg = '9', layersArg, kernelsArg = 'fwd,dx,dW'] = process.argv.slice(2);
  if (dist == null || dist === '--help') {
    console.log('node dist/bench/kernelsAB.js OTHER_DIST [reps (9)] [layers (all)] [kernels (fwd,dx,dW)]');
    process.exit(dist == null ? 2 : 0);
  }
  const reps = Number(repsArg);
  const kernels = kernelsArg.split(',') as KernelName[];
  const stock = new Map<string, tf.KernelFunc>();
  for (const { kernelName } of wasmKernels) {
    const k = tf.getKernel(kernelName, 'wasm');
    if (k != null) stock.set(kernelName, k.kernelFunc);
  }
  await tf.setBackend('wasm');
  registerWasmKernels();
  const be = tf.backend();
  const builds: Record<'A' | 'B', Build> = {
    A: await otherBuild(dist, stock),
    B: {
      kernels: {
        fwd: conv2DConfig.kernelFunc,
        dx: conv2DBackpropInputConfig.kernelFunc,
        dW: conv2DBackpropFilterConfig.kernelFunc,
      },
      register: registerWasmKernels,
    },
  };
  const flavour = gemmFlavour();
  const peaks = [simdPeakGflops(flavour)];
  const rows: Array<{
    layer: string;
    kernel: KernelName;
    gflop: number;
    count: number;
    msA: number;
    msB: number;
    /** GFLOP of Winograd's own multiply-adds where this build's kernel takes Winograd (its GF/s are effective) */
    winogradGflop: number | null;
  }> = [];
  for (const [name, size, ci, co, k, s, count] of LAYERS) {
    if (ci === 1) continue; // the 1-channel stem's forward is XNNPACK's in both builds
    if (layersArg != null && !layersArg.split(',').some((l) => name.includes(l))) continue;
    const { x, w, yShape, gflop, attrs, info } = convCase(size, ci, co, k, s);
    for (const kernel of kernels) {
      const ms: Record<'A' | 'B', number[]> = { A: [], B: [] };
      for (let i = 0; i <= reps; i++) {
        for (const build of i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
          // fresh dy and filter per call: no XNNPACK operator cache (keyed by tensor id) flatters a kernel
          const dy = tf.randomNormal(yShape);
          const f = tf.randomNormal(w.shape);
          const inputs = (kernel === 'fwd'
            ? { x, filter: f }
            : kernel === 'dx'
              ? { dy, filter: f }
              : { x, dy }) as unknown as tf.NamedTensorInfoMap;
          builds[build].register();
          const t0 = process.cpuUsage();
          const out = builds[build].kernels[kernel]({ inputs, backend: be, attrs });
          const u = process.cpuUsage(t0);
          if (i > 0) ms[build].push((u.user + u.system) / 1000);
          for (const o of Array.isArray(out) ? out : [out]) be.disposeData(o.dataId);
          tf.dispose([dy, f]);
        }
      }
      const which = ({ fwd: 'forward', dx: 'inputGradient', dW: 'filterGradient' } as const)[kernel];
      const winogradGflop = winogradPays(info) ? winogradGemmFlops(info, which) / 1e9 : null;
      rows.push({ layer: name, kernel, gflop, count, msA: median(ms.A), msB: median(ms.B), winogradGflop });
    }
    tf.dispose([x, w]);
  }
  peaks.push(simdPeakGflops(flavour));
  const peak = median(peaks);
  /** share of the peak, in %, of `gflop` done in `ms` */
  const pct = (gflop: number, ms: number): number => (100 * ((gflop / ms) * 1e3)) / peak;
  const cell = (gflop: number, ms: number): string =>
    `${ms.toFixed(1).padStart(6)} ms ${((gflop / ms) * 1e3).toFixed(1).padStart(5)} GF/s ${pct(gflop, ms).toFixed(0).padStart(3)}%`;
  for (const r of rows) {
    console.log(
      `${r.layer.padEnd(17)} ${r.kernel.padEnd(3)} | A ${cell(r.gflop, r.msA)} | B ${cell(r.gflop, r.msB)} | ` +
        `B/A ${(r.msB / r.msA).toFixed(2)}` +
        (r.winogradGflop == null
          ? ''
          : ` | B Winograd: effective; arithmetic ${pct(r.winogradGflop, r.msB).toFixed(0)}%`),
    );
  }
  // resnet-mini's step: each layer as often as the net has it (the stem aside)
  const sum = (f: (r: (typeof rows)[number]) => number): number => rows.reduce((a, r) => a + r.count * f(r), 0);
  const flop = sum((r) => r.gflop);
  console.log(
    `all rows, weighted by resnet-mini's layer counts: A ${sum((r) => r.msA).toFixed(0)} ms ` +
      `(${pct(
        flop,
        sum((r) => r.msA),
      ).toFixed(0)}%), B ${sum((r) => r.msB).toFixed(0)} ms ` +
      `(${pct(
        flop,
        sum((r) => r.msB),
      ).toFixed(0)}%), B/A ${(sum((r) => r.msB) / sum((r) => r.msA)).toFixed(2)}; ` +
      `SIMD peak (${flavour}, CPU-timed, before and after) ${peaks.map((p) => p.toFixed(1)).join(', ')} GFLOP/s`,
  );
  console.log(JSON.stringify({ flavour, peakGflops: peaks, rows }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
