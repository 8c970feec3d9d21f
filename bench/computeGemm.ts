/**
 * The GEMM microkernel alone (simd/igemmWat.ts) at the GEMM shapes resnet-mini's 3x3 convolutions give it (batch
 * 128), called in a loop on fixed buffers, as a share of the SIMD peak measured in the same process: this separates
 * the microkernel's efficiency from the convolution kernels' packing and indirection tables (bench/computeKernels.ts
 * times those whole). The indirection table points each row's taps at neighbouring pixels of an NHWC image, as
 * Conv2D's does; dW's shape is Conv2DBackpropFilter's row segments (rows = 3x3 taps x Ci, each reading one channel
 * of a run of Wo pixels Ci floats apart; "taps" = the output rows of a block; accumulating), on igemm as on igemmOff
 * (the same loop over pointers that the filter gradient gives it as row bases plus offsets).
 *
 * Kernel variants are compiled here from their WAT with the npm `wabt` package (a dev dependency), so a tile shape
 * can be compared with the built one in the same run. CPU-timed (process.cpuUsage), median of 5 after a warm-up.
 * Usage: node dist/bench/computeGemm.js [variant ...] (default: all); prints a table, then one JSON line.
 */
import wabtInit from 'wabt';
import { igemm1Wat, igemmWat } from '../src/worker/kernels/simd/igemmWat.js';
import { relaxedSimdSupported, simdModule } from '../src/worker/kernels/simd/loadSimd.js';
import { PEAK_FLOPS_PER_ITERATION } from '../src/worker/kernels/simd/simdPeakWat.js';
import type { IgemmFn } from '../src/worker/kernels/simd/gemm.js';
import type { SimdFlavour } from '../src/worker/kernels/simd/wasmFiles.js';
import { median } from './computeSetup.js';

interface GemmShape {
  name: string;
  /** rows per call (as the conv kernel chunks them), columns, taps, k per tap, image width (for tap offsets) */
  m: number;
  n: number;
  taps: number;
  kc: number;
  width: number;
  accumulate: boolean;
  /** dW's layout: A's rows are (tap, channel) of pixels with this many channels, k steps a pixel apart */
  channels?: number;
}

/** Rows per call as conv2D.ts chunks them (A about 256 KiB per call, a multiple of 4). */
const fwdRows = (taps: number, ci: number): number =>
  Math.max(16, Math.min(2048, 4 * Math.floor(65536 / (taps * ci * 4))));

export const GEMM_SHAPES: GemmShape[] = [
  { name: 'fwd 28x28 32->32', m: fwdRows(9, 32), n: 32, taps: 9, kc: 32, width: 28, accumulate: false },
  { name: 'fwd 14x14 32->64 s2', m: fwdRows(9, 32), n: 64, taps: 9, kc: 32, width: 28, accumulate: false },
  { name: 'fwd 14x14 64->64', m: fwdRows(9, 64), n: 64, taps: 9, kc: 64, width: 14, accumulate: false },
  { name: 'fwd 7x7 64->128 s2', m: fwdRows(9, 64), n: 128, taps: 9, kc: 64, width: 14, accumulate: false },
  { name: 'fwd 7x7 128->128', m: fwdRows(9, 128), n: 128, taps: 9, kc: 128, width: 7, accumulate: false },
  { name: 'dx 28x28 32->32', m: 512, n: 32, taps: 9, kc: 32, width: 28, accumulate: false },
  { name: 'dx 14x14 64->64', m: 512, n: 64, taps: 9, kc: 64, width: 14, accumulate: false },
  // row segments: floor(128 / Wo) output rows of Wo pixels per call (conv2DBackpropFilter.ts)
  { name: 'dW 28x28 32->32', m: 9 * 32, n: 32, taps: 4, kc: 28, width: 30, accumulate: true, channels: 32 },
  { name: 'dW 14x14 64->64', m: 9 * 64, n: 64, taps: 9, kc: 14, width: 16, accumulate: true, channels: 64 },
];

const WIDEST_NR = 16;

type PeakFn = (iterations: number) => number;

function peakFn(flavour: SimdFlavour): PeakFn {
  return new WebAssembly.Instance(simdModule('simdPeak', flavour), {}).exports.peak as PeakFn;
}

/** The JSON line this bench ends with (bench/compute.ts prints the built kernel's rows from it). */
export interface GemmBenchResult {
  peakGflops: Partial<Record<SimdFlavour, number>>;
  rows: Array<{ variant: string; flavour: SimdFlavour; shape: string; gflops: number; share: number }>;
}

export interface GemmVariant {
  name: string;
  wat: (relaxed: boolean) => string;
}

export const GEMM_VARIANTS: GemmVariant[] = [
  { name: 'built', wat: (r) => igemmWat(r) },
  { name: '2x16', wat: (r) => igemm1Wat(r, { mr: 2, nv: 4 }) },
  { name: '6x8', wat: (r) => igemm1Wat(r, { mr: 6, nv: 2 }) },
];

function cpuMs(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1000;
}

/** Buffers for `shape` in `memory` (an NHWC image, packed B, the indirection tables, C): the kernel's arguments. */
function gemmArgs(memory: WebAssembly.Memory, shape: GemmShape): Parameters<IgemmFn> {
  const { m, n, taps, kc, width, accumulate, channels } = shape;
  const pixels = channels == null ? Math.max(m + 2 * width + 2, 64) : (taps + 3) * width;
  const pixelFloats = channels ?? kc;
  const imgAt = 0;
  const imgBytes = (pixels * pixelFloats + 16) * 4;
  const bpAt = (imgAt + imgBytes + 63) & ~63;
  // room for the widest variant's panels (16 columns)
  const bpBytes = Math.ceil(n / WIDEST_NR) * taps * kc * WIDEST_NR * 4;
  const aIndAt = bpAt + bpBytes;
  const cIndAt = aIndAt + m * taps * 4;
  const cAt = (cIndAt + m * 4 + 63) & ~63;
  const end = cAt + m * n * 4;
  if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  for (let i = 0; i < (imgBytes + bpBytes) / 4; i++) f32[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  const side = Math.round(Math.sqrt(taps));
  for (let r = 0; r < m; r++) {
    i32[cIndAt / 4 + r] = cAt + r * n * 4;
    for (let t = 0; t < taps; t++) {
      if (channels != null) {
        // row r = (3x3 tap, channel), "tap" t = output row t of the block
        const c = r % channels;
        const tap = (r - c) / channels;
        const p = (t + Math.floor(tap / 3)) * width + (tap % 3);
        i32[aIndAt / 4 + r * taps + t] = imgAt + (p * channels + c) * 4;
        continue;
      }
      const dy = Math.floor(t / side) - (side >> 1);
      const dx = (t % side) - (side >> 1);
      const p = Math.min(pixels - 1, Math.max(0, r + width + 1 + dy * width + dx));
      i32[aIndAt / 4 + r * taps + t] = imgAt + p * kc * 4;
    }
  }
  return [m, n, taps, kc, aIndAt, 4 * (channels ?? 1), bpAt, cIndAt, accumulate ? 1 : 0];
}

/**
 * GFLOP/s of each kernel at `shape`: rounds of ~0.1 GFLOP, the kernels alternating round by round (so a busy
 * moment of the shared machine hits all alike), median of `rounds` after 3 warm-up rounds (wasm tiers up from
 * Liftoff to TurboFan between calls, not within one).
 */
export function gemmGflops(
  kernels: IgemmFn[],
  memories: WebAssembly.Memory[],
  shape: GemmShape,
  peak: PeakFn,
  rounds = 9,
): { gflops: number[]; peakGflops: number } {
  const args = memories.map((mem) => gemmArgs(mem, shape));
  const flopsPerCall = 2 * shape.m * shape.n * shape.taps * shape.kc;
  const calls = Math.max(1, Math.round(1e8 / flopsPerCall));
  const peakIterations = Math.round((calls * flopsPerCall) / PEAK_FLOPS_PER_ITERATION);
  const times: number[][] = kernels.map(() => []);
  const peakTimes: number[] = [];
  for (let r = 0; r < rounds + 3; r++) {
    const pms = cpuMs(() => peak(peakIterations));
    if (r >= 3) peakTimes.push(pms);
    kernels.forEach((igemm, i) => {
      const a = args[i];
      const ms = cpuMs(() => {
        for (let c = 0; c < calls; c++) igemm(...a);
      });
      if (r >= 3) times[i].push(ms);
    });
  }
  const gflops = (t: number[]): number => (calls * flopsPerCall) / median(t) / 1e6;
  return { gflops: times.map(gflops), peakGflops: gflops(peakTimes) };
}

async function main(): Promise<void> {
  const wabt = await wabtInit();
  const wanted = process.argv.slice(2);
  const variants = GEMM_VARIANTS.filter((v) => wanted.length === 0 || wanted.includes(v.name));
  const flavours: SimdFlavour[] = relaxedSimdSupported() ? ['simd', 'relaxed'] : ['simd'];
  const peakSeen: Record<SimdFlavour, number[]> = { simd: [], relaxed: [] };
  const rows: GemmBenchResult['rows'] = [];
  for (const flavour of flavours) {
    const memories = variants.map(() => new WebAssembly.Memory({ initial: 64 }));
    const kernels = variants.map((v, i) => {
      const mod = wabt.parseWat(`${v.name}.wat`, v.wat(flavour === 'relaxed'), { simd: true, relaxed_simd: true });
      mod.validate();
      const bytes = new Uint8Array(mod.toBinary({}).buffer);
      mod.destroy();
      const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: memories[i] } });
      return inst.exports.igemm as IgemmFn;
    });
    for (const shape of GEMM_SHAPES) {
      const { gflops, peakGflops } = gemmGflops(kernels, memories, shape, peakFn(flavour));
      peakSeen[flavour].push(peakGflops);
      const cells = variants.map((v, i) => {
        const share = gflops[i] / peakGflops;
        rows.push({ variant: v.name, flavour, shape: shape.name, gflops: gflops[i], share });
        return `${v.name} ${gflops[i].toFixed(1).padStart(5)} GF/s ${(100 * share).toFixed(0).padStart(3)}%`;
      });
      console.log(
        `${flavour.padEnd(7)} ${shape.name.padEnd(22)} peak ${peakGflops.toFixed(1).padStart(4)} | ${cells.join(' | ')}`,
      );
    }
  }
  const peak = Object.fromEntries(flavours.map((f) => [f, median(peakSeen[f])]));
  console.log(
    `SIMD peak (timed in the same rounds, CPU time; median over shapes): ` +
      `${flavours.map((f) => `${f} ${peak[f].toFixed(1)}`).join(', ')} GFLOP/s; % = share of the peak in that row`,
  );
  const result: GemmBenchResult = { peakGflops: peak, rows };
  console.log(JSON.stringify(result));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
