/**
 * `npm run bench:compute`: training throughput per backend, against the wasm matmul ceiling and PyTorch.
 *
 * Every figure is the median over >= 5 timed steps (after warm-up) within a process, then the median over
 * >= 3 separate processes (min-max across processes shown). A step is Replica.computeGradients + applyUpdate.
 * Effective GFLOP/s = 3 x forward FLOPs x batch / step time. Results also go to bench/results/compute-latest.json.
 * First the SIMD peak of one thread (plain and relaxed SIMD) and the conv kernels' GFLOP/s as shares of it
 * (computeKernels.ts); the wasm step rows add their GFLOP/s over the steps' CPU time as a share of the same peak
 * (CPU time, because on a shared machine the wall time counts other processes too).
 * Options: --processes N (3), --steps N (7), --warmup N (2), --trainer-warmup N (20), --skip-cpu,
 *   --skip-layers, --only wasm|torch|workers|trainer (one section; others still run with `wasm` first for the FLOP count; trainer:
 *   the trainer rows of the workers section alone).
 * The workers section ends with the trainer rows (trainerRows): one local worker through `fit` against the bare
 * step, and 2 local workers through `fit` against one, in alternating processes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median } from './computeSetup.js';
import type { GemmBenchResult } from './computeGemm.js';
import type { KernelBenchResult, KernelLayerResult } from './computeKernels.js';
import type { FitRunResult, FitRunSpec } from './computeFit.js';
import type { RunResult, RunSpec } from './computeRun.js';
import type { ThreadsResult, ThreadsSpec } from './computeThreads.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
if (flag('help') || process.argv.includes('-h')) {
  console.log(
    'node dist/bench/compute.js [--processes N (3)] [--steps N (7)] [--warmup N (2)] [--skip-cpu] [--skip-layers]\n' +
      '  [--only wasm|torch|workers|trainer] [--trainer-warmup N (20): warm-up steps of the trainer rows]\n' +
      'Training throughput per backend against the SIMD peak and PyTorch; see the comment at the top of bench/compute.ts.',
  );
  process.exit(0);
}
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt >= 0 ? process.argv[onlyAt + 1] : null;
const section = (name: string): boolean => ONLY == null || ONLY === name;
const PROCESSES = arg('processes', 3);
const STEPS = arg('steps', 7);
const WARMUP = arg('warmup', 2);
/**
 * Warm-up steps of the trainer rows. V8 keeps optimizing tfjs's JavaScript for tens of steps on its background
 * threads (resnet-mini, batch 64, one worker: ~50 ms of their CPU a step over steps 3-10, 34 over 10-20, 14 over
 * 20-40, measured 2026-12-01); two workers are two isolates compiling at once, on the cores their training threads
 * need, while one worker's compiles take the idle second core. So the trainer rows time the steady state, after 20
 * steps (2 workers / 1 in one sitting, load 2-2.5: 1.64x after 2 warm-up steps, 1.93x after 20).
 */
const TRAINER_WARMUP = arg('trainer-warmup', 20);
/** Timed steps of the rows that spawn threads (the workers and trainer sections). */
const THREAD_ROW_STEPS = Math.max(5, STEPS - 1);

interface Row {
  what: string;
  batch: number;
  processes: number;
  stepsPerProcess: number;
  medianStepMs: number;
  rangeStepMs: [number, number];
  /** Each process's median step, in the order the processes ran. */
  perProcessStepMs: number[];
  imagesPerSec: number;
  effectiveGflops: number | null;
  /** GFLOP/s over the steps' CPU time (where measured), and its share of the SIMD peak of the same processes. */
  cpuGflops?: number;
  shareOfPeak?: number;
  note?: string;
}

function child(cmd: string, args: string[]): unknown {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (r.status !== 0 || line == null) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.split('\n').slice(-3).join(' ')}`);
  }
  return JSON.parse(line);
}

function summarise(
  what: string,
  batch: number,
  perProcessMs: number[],
  steps: number,
  flops: number | null,
  note?: string,
): Row {
  const m = median(perProcessMs);
  return {
    what,
    batch,
    processes: perProcessMs.length,
    stepsPerProcess: steps,
    medianStepMs: m,
    rangeStepMs: [Math.min(...perProcessMs), Math.max(...perProcessMs)],
    perProcessStepMs: perProcessMs,
    imagesPerSec: (batch * 1000) / m,
    effectiveGflops: flops == null ? null : flops / m / 1e6,
    note,
  };
}

const rows: Row[] = [];
const extras: Record<string, unknown> = {};
const log = (r: Row): void => {
  rows.push(r);
  console.log(
    `${r.what.padEnd(46)} batch ${String(r.batch).padStart(3)}: ${r.imagesPerSec.toFixed(1).padStart(6)} img/s` +
      `  step ${r.medianStepMs.toFixed(0)} ms [${r.rangeStepMs.map((v) => v.toFixed(0)).join('-')}]` +
      (r.effectiveGflops == null ? '' : `  ${r.effectiveGflops.toFixed(1)} GFLOP/s`) +
      (r.cpuGflops == null
        ? ''
        : `; CPU-timed ${r.cpuGflops.toFixed(1)} GFLOP/s = ${(100 * r.shareOfPeak!).toFixed(0)}% ` +
          'of the SIMD peak') +
      (r.note ? `  (${r.note})` : ''),
  );
};

/** The SIMD peak row and every conv kernel's GFLOP/s as a share of it (bench/computeKernels.ts, one process). */
function kernelRows(): void {
  const k = child(process.execPath, [`${here}computeKernels.js`]) as KernelBenchResult;
  extras.kernels = k;
  for (const [flavour, g] of Object.entries(k.peakGflops)) {
    console.log(
      `SIMD peak (${flavour === 'relaxed' ? 'relaxed-SIMD relaxed_madd' : 'SIMD128 mul + add'}, 12 ` +
        `accumulators, 1 thread, CPU-timed)`.padEnd(70) +
        `${g!.toFixed(1).padStart(6)} GFLOP/s` +
        (flavour === k.flavour ? '  <- the kernels use this flavour' : ''),
    );
  }
  const peak = k.peakGflops[k.flavour]!;
  const share = (gflop: number, ms: number): string => ((((100 * gflop) / ms) * 1e3) / peak).toFixed(0);
  const cell = (gflop: number, ms: number): string =>
    `${((gflop / ms) * 1e3).toFixed(1).padStart(5)} (${share(gflop, ms).padStart(2)}%)`;
  // a Winograd kernel's cell: effective figures, marked W, then its arithmetic share
  const wcell = (l: KernelLayerResult, ms: number, i: 0 | 1 | 2): string =>
    l.winogradGflop == null
      ? cell(l.gflop, ms).padEnd(24)
      : `${cell(l.gflop, ms)} W arith ${share(l.winogradGflop[i], ms).padStart(2)}%`;
  console.log(`  conv kernels, batch 128, GFLOP/s (share of the ${k.flavour} peak), CPU-timed medians of 5:`);
  console.log(`  ${'layer'.padEnd(18)} GFLOP | fwd XNNPACK | ${'fwd (ours)'.padEnd(24)} | ${'dx'.padEnd(24)} | dW`);
  for (const l of k.layers) {
    console.log(
      `  ${l.name.padEnd(18)} ${l.gflop.toFixed(2)}  | ${cell(l.gflop, l.fwdStockMs)} | ` +
        `${wcell(l, l.fwdMs, 0)} | ${wcell(l, l.dxMs, 1)} | ${wcell(l, l.dwMs, 2)}`,
    );
  }
  if (k.layers.some((l) => l.winogradGflop != null)) {
    console.log(
      '  W: Winograd F(2x2,3x3) or F(4x4,3x3) (2.25x or 4x fewer multiply-adds): GFLOP/s and % are EFFECTIVE (the direct ' +
        "convolution's FLOPs / time); arith = Winograd's own multiply-adds / time as a share of the peak",
    );
  }
  const big = k.layers.filter((l) => l.gflop > 0.5);
  const total = (f: (l: KernelLayerResult) => number): number => big.reduce((s, l) => s + f(l), 0);
  const flop = total((l) => l.gflop);
  console.log(
    `  3x3 layers with > 0.5 GFLOP, all three kernels (effective where Winograd): ${(
      ((3 * flop) / total((l) => l.fwdMs + l.dxMs + l.dwMs)) * 1e3
    ).toFixed(
      1,
    )} GFLOP/s = ${((((100 * 3 * flop) / total((l) => l.fwdMs + l.dxMs + l.dwMs)) * 1e3) / peak).toFixed(0)}% of the peak`,
  );
  // the microkernel alone at the same layers' GEMM shapes (no packing or indirection tables timed)
  const g = child(process.execPath, [`${here}computeGemm.js`, 'built']) as GemmBenchResult;
  extras.gemm = g;
  const mine = g.rows.filter((r) => r.flavour === k.flavour);
  console.log(
    `  GEMM microkernel alone (igemm on fixed buffers, ${k.flavour}; share of the peak timed in the same rounds): ` +
      mine.map((r) => `${r.shape} ${r.gflops.toFixed(1)} (${(100 * r.share).toFixed(0)}%)`).join('; '),
  );
}

function tfjs(spec: RunSpec, processes = PROCESSES, what?: string, note?: string): RunResult[] {
  const results = Array.from(
    { length: processes },
    () => child(process.execPath, [`${here}computeRun.js`, JSON.stringify(spec)]) as RunResult,
  );
  const row = summarise(
    what ?? `tfjs ${spec.backend} ${spec.model} (${spec.forward} forward)`,
    spec.batch,
    results.map((r) => median(r.stepMs)),
    spec.steps,
    results[0].flopsPerStep,
    note,
  );
  if (results.every((r) => r.simdPeakGflops != null)) {
    row.cpuGflops = results[0].flopsPerStep / median(results.map((r) => median(r.stepCpuMs))) / 1e6;
    row.shareOfPeak = row.cpuGflops / peakOf(results);
  }
  log(row);
  return results;
}

/** Median SIMD peak (the kernels' flavour) of a set of wasm processes. */
function peakOf(results: RunResult[]): number {
  return median(results.map((r) => r.simdPeakGflops?.relaxed ?? r.simdPeakGflops?.simd ?? NaN));
}

/**
 * webgpu rows, named after the adapter. On a software adapter (llvmpipe: no GPU) a step of batch 128 takes minutes,
 * so it runs 2 steps of batch 8, labelled as such: those rows say nothing about the GPU goal (npm run bench:gpu).
 */
function webgpuRows(base: { batch: number; warmup: number; steps: number }): void {
  const probe = spawnSync(process.execPath, [`${here}gpu.js`, '--probe'], { encoding: 'utf8' });
  const line = probe.stdout.trim().split('\n').at(-1) ?? '';
  if (probe.status !== 0 || !line.startsWith('{')) {
    console.log(`  webgpu: not measured: no adapter (${probe.stderr.trim().split('\n').at(-1) ?? ''})`);
    return;
  }
  const software = (JSON.parse(line) as { software: boolean }).software;
  for (const model of ['resnet-mini', 'resnet20']) {
    const spec: RunSpec = software
      ? { backend: 'webgpu', model, forward: 'fast', batch: 8, warmup: 1, steps: 2 }
      : { ...base, backend: 'webgpu', model, forward: 'fast' };
    const r = child(process.execPath, [`${here}computeRun.js`, JSON.stringify(spec)]) as RunResult;
    log(
      summarise(
        `tfjs webgpu ${model} on ${r.adapter}`,
        spec.batch,
        [median(r.stepMs)],
        spec.steps,
        r.flopsPerStep,
        software
          ? 'software adapter, not a GPU: 1 process, 2 steps of batch 8, not comparable with the GPU goal'
          : '1 process',
      ),
    );
  }
}

/** One computeThreads.js process: the bare resnet-mini step in `threads` worker threads at `batch` each. */
function bareThreadsRun(threads: number, batch: number, warmup: number): ThreadsResult {
  const spec: ThreadsSpec = { threads, model: 'resnet-mini', batch, warmup, steps: THREAD_ROW_STEPS };
  return child(process.execPath, [`${here}computeThreads.js`, JSON.stringify(spec)]) as ThreadsResult;
}

/**
 * The worker path: resnet-mini trained through the trainer (`fit`, computeFit.ts) against the bare step
 * (computeRun.ts), in alternating processes so that both see the same load. First one local worker (fit's default
 * for --workers 1: in the coordinator's thread) at batch 128 against the bare step; then 2 local workers (threads)
 * at batch 64 each against one at batch 64. Steps are timed from one afterStep to the next (everything the loop
 * does); CPU time is the process's, all threads.
 *
 * The same rounds also run the bare step in 1 and 2 threads at batch 64 each (computeThreads.ts: no trainer, no
 * allreduce, each thread its own replica), after the same warm-up: the machine's own 2-thread scaling at that
 * moment, the limit the trainer's 2 workers / 1 is read against. On this project's 2-vCPU VM it moved between
 * 1.69x and 2.30x within one hour (2026-12-02).
 */
function trainerRows(flopsMini: number): void {
  const fitRun = (spec: Omit<FitRunSpec, 'warmup' | 'steps'>): FitRunResult =>
    child(process.execPath, [
      `${here}computeFit.js`,
      JSON.stringify({ ...spec, warmup: TRAINER_WARMUP, steps: THREAD_ROW_STEPS } satisfies FitRunSpec),
    ]) as FitRunResult;
  const bare: RunResult[] = [];
  const fit1: FitRunResult[] = [];
  const fit1x64: FitRunResult[] = [];
  const fit2: FitRunResult[] = [];
  const bareThreads: { 1: number[]; 2: number[] } = { 1: [], 2: [] };
  for (let p = 0; p < PROCESSES; p++) {
    bare.push(
      child(process.execPath, [
        `${here}computeRun.js`,
        JSON.stringify({
          backend: 'wasm',
          model: 'resnet-mini',
          forward: 'fast',
          batch: 128,
          warmup: TRAINER_WARMUP,
          steps: THREAD_ROW_STEPS,
        } satisfies RunSpec),
      ]) as RunResult,
    );
    fit1.push(fitRun({ workers: 1, batch: 128 }));
    fit1x64.push(fitRun({ workers: 1, batch: 64 }));
    fit2.push(fitRun({ workers: 2, batch: 128 }));
    for (const threads of [1, 2] as const)
      bareThreads[threads].push(bareThreadsRun(threads, 64, TRAINER_WARMUP).imagesPerSec);
  }
  const cpuOf = (rs: { stepCpuMs: number[] }[]): number => median(rs.map((r) => median(r.stepCpuMs)));
  const row = (what: string, batch: number, rs: { stepMs: number[]; stepCpuMs: number[] }[], note: string): Row => {
    const r = summarise(
      what,
      batch,
      rs.map((x) => median(x.stepMs)),
      THREAD_ROW_STEPS,
      (flopsMini / 128) * batch,
      `${note}; CPU ${cpuOf(rs).toFixed(0)} ms a step, all threads`,
    );
    log(r);
    return r;
  };
  const b = row(
    'wasm bare step resnet-mini (alternating with fit)',
    128,
    bare,
    'Replica.computeGradients + applyUpdate',
  );
  const f1 = row('wasm fit, 1 local worker (inline) resnet-mini', 128, fit1, 'afterStep to afterStep');
  const f64 = row('wasm fit, 1 local worker (inline) resnet-mini', 64, fit1x64, 'afterStep to afterStep');
  const f2 = row('wasm fit, 2 local workers (threads) resnet-mini', 128, fit2, '64 a worker, afterStep to afterStep');
  extras.trainer = {
    clusterStepMs: { fit1: fit1.map((r) => median(r.clusterStepMs)), fit2: fit2.map((r) => median(r.clusterStepMs)) },
    allreduceMs: { fit2: fit2.map((r) => median(r.allreduceMs)) },
    exchangeMs: { fit2: fit2.map((r) => median(r.exchangeMs)) },
    bareThreadsImagesPerSec: bareThreads,
  };
  // Where the training threads' wall time went (computeFit's trainingThreads, Linux): on a core + asleep is the step
  // an idle machine would see (the wait for a core is the load's); its ratio estimates the unloaded scaling.
  const threadsOf = (rs: FitRunResult[]) => rs.flatMap((r) => (r.trainingThreads ? [r.trainingThreads] : []));
  const busy = (rs: FitRunResult[]): number | null => {
    const per = threadsOf(rs).map((ts) => Math.max(...ts.map((t) => t.onCpuMs + t.asleepMs)));
    return per.length === rs.length ? median(per) : null;
  };
  const describeThreads = (rs: FitRunResult[]): string => {
    const ts = threadsOf(rs).flat();
    const m = (f: (t: { onCpuMs: number; runQueueMs: number; asleepMs: number }) => number): string =>
      median(ts.map(f)).toFixed(0);
    return `on a core ${m((t) => t.onCpuMs)}, waiting for a core ${m((t) => t.runQueueMs)}, asleep ${m((t) => t.asleepMs)}`;
  };
  if (busy(fit1x64) != null && busy(fit2) != null) {
    console.log(
      `  training threads, ms a step (medians): 1 worker at 64: ${describeThreads(fit1x64)}; 2 workers: ` +
        `${describeThreads(fit2)}. Without the load (on a core + asleep): 2 workers / 1 = ` +
        `${((2 * busy(fit1x64)!) / busy(fit2)!).toFixed(2)}x`,
    );
    extras.trainerThreads = { fit1x64: threadsOf(fit1x64), fit2: threadsOf(fit2) };
    // What competes with the training threads for the cores: the process's other threads (computeFit's otherThreads).
    const others = (rs: FitRunResult[], main: boolean): string =>
      median(
        rs.map((r) =>
          (r.otherThreads ?? []).filter((t) => (t.name === 'main') === main).reduce((a, t) => a + t.onCpuMs, 0),
        ),
      ).toFixed(0);
    console.log(
      `  other threads of the process, ms on a core a step (medians): 1 worker at 64 (inline: the main thread trains) ` +
        `${others(fit1x64, false)}; 2 workers: the main thread (coordinator) ${others(fit2, true)}, the rest ` +
        `${others(fit2, false)} ` +
        '(V8 and Node helpers, batch assembly, heartbeat)',
    );
    extras.otherThreads = { fit1x64: fit1x64.map((r) => r.otherThreads), fit2: fit2.map((r) => r.otherThreads) };
  }
  console.log(
    `  1 local worker via fit / bare step: ${(f1.imagesPerSec / b.imagesPerSec).toFixed(3)}x by wall time, ` +
      `${(cpuOf(bare) / cpuOf(fit1)).toFixed(3)}x by CPU time (goal: >= 0.95)`,
  );
  const fitRatio = f2.imagesPerSec / f64.imagesPerSec;
  console.log(
    `  fit: 2 local workers / 1, batch 64 a worker: ${fitRatio.toFixed(2)}x by wall time ` +
      `(goal: >= 1.9); CPU time per image, 2 workers / 1: ${(cpuOf(fit2) / (2 * cpuOf(fit1x64))).toFixed(3)}x; ` +
      `2 workers' slowest allreduce (wait for the peer + exchange) ` +
      `${median(fit2.map((r) => median(r.allreduceMs))).toFixed(0)} ms a step, of which the exchange (the last rank's ` +
      `allreduce) ${median(fit2.map((r) => median(r.exchangeMs))).toFixed(0)} ms, ` +
      `loop overhead outside the Step calls ${median(fit2.map((r) => median(r.stepMs) - median(r.clusterStepMs))).toFixed(0)} ms`,
  );
  const bare2 = median(bareThreads[2]) / median(bareThreads[1]);
  console.log(
    `  the machine's own scaling in the same rounds: bare step in 2 threads / 1, batch 64 a thread, after the same ` +
      `warm-up: ${bare2.toFixed(2)}x (images/s ${bareThreads[1].map((x) => x.toFixed(0)).join(', ')} -> ` +
      `${bareThreads[2].map((x) => x.toFixed(0)).join(', ')}); the trainer's 2 workers / 1 is ` +
      `${((100 * fitRatio) / bare2).toFixed(0)}% of it`,
  );
  extras.trainerScaling = { fit: fitRatio, bareThreads: bare2 };
  // The VM's speed drifts between rounds (one round's processes ran at 440 ms a step, the next at 590, 2026-12-02):
  // each round's ratio compares processes that ran back to back, so the drift between rounds drops out of it.
  const byRound = {
    fitOverBare: b.perProcessStepMs.map((ms, p) => ms / f1.perProcessStepMs[p]),
    fit2Over1: f2.perProcessStepMs.map((ms, p) => (2 * f64.perProcessStepMs[p]) / ms),
    bareThreads2Over1: bareThreads[2].map((ips, p) => ips / bareThreads[1][p]),
  };
  const list = (xs: number[], digits: number): string =>
    `${xs.map((x) => x.toFixed(digits)).join(', ')} (median ${median(xs).toFixed(digits)})`;
  console.log(
    `  the same ratios round by round (each round's processes ran back to back): 1 local worker via fit / bare step ` +
      `${list(byRound.fitOverBare, 3)}; fit 2 workers / 1 ${list(byRound.fit2Over1, 2)}; bare 2 threads / 1 ` +
      list(byRound.bareThreads2Over1, 2),
  );
  extras.trainerByRound = byRound;
}

function nativeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function torchAvailable(): string | null {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return null;
  }
}

function main(): void {
  console.log(
    `compute benchmark: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; ` +
      `${PROCESSES} processes x ${STEPS} steps after ${WARMUP} warm-up; load average before: ` +
      `${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (other processes on the machine skew every figure)`,
  );
  if (section('wasm')) kernelRows();
  const base = { batch: 128, warmup: WARMUP, steps: STEPS };
  const mini = tfjs(
    { ...base, backend: 'wasm', model: 'resnet-mini', forward: 'fast' },
    section('wasm') ? PROCESSES : 1,
  );
  const flopsMini = mini[0].flopsPerStep;
  extras.wasmMatmulGflops = mini.map((r) => r.matmulGflops);
  extras.wasmHeapMiB = mini.map((r) => r.heapMiB);
  console.log(
    `  wasm matmul 1024^3 (same processes): ${mini.map((r) => r.matmulGflops?.toFixed(1)).join(', ')} GFLOP/s;` +
      ` wasm heap after training: ${mini.map((r) => r.heapMiB?.toFixed(0)).join(', ')} MiB`,
  );
  if (section('wasm') && !flag('skip-layers'))
    tfjs({ ...base, backend: 'wasm', model: 'resnet-mini', forward: 'layers' });
  const r20 = tfjs({ ...base, backend: 'wasm', model: 'resnet20', forward: 'fast' }, section('wasm') ? PROCESSES : 1);
  console.log(`  resnet20 wasm heap: ${r20.map((r) => r.heapMiB?.toFixed(0)).join(', ')} MiB`);
  if (section('wasm') && !flag('skip-cpu')) {
    tfjs(
      { backend: 'cpu', model: 'resnet-mini', forward: 'layers', batch: 2, warmup: 1, steps: 2 },
      1,
      undefined,
      'tfjs cpu backend is ~1000x slower: 1 process, 2 steps of batch 2 only',
    );
  }
  if (!section('wasm')) {
    // measured only with the wasm section
  } else if (nativeInstalled()) {
    tfjs({ ...base, backend: 'tensorflow', model: 'resnet-mini', forward: 'layers' });
  } else {
    console.log('  tfjs native (tensorflow) backend: not measured: @tensorflow/tfjs-node is not installed');
  }

  if (section('wasm')) webgpuRows(base);

  const torch = section('torch') ? torchAvailable() : 'skipped';
  if (torch === 'skipped') {
    // not this section
  } else if (torch == null) {
    console.log('  PyTorch: not measured: /usr/bin/python3 cannot import torch (apt-get install -y python3-torch)');
  } else {
    for (const [model, threads] of [
      ['resnet-mini', 1],
      ['resnet-mini', 2],
      ['resnet20', 1],
    ] as const) {
      const spec = { model, batch: 128, threads, warmup: WARMUP, steps: STEPS };
      const runs = Array.from(
        { length: PROCESSES },
        () =>
          child('/usr/bin/python3', [`${here}../../bench/computeTorch.py`, JSON.stringify(spec)]) as {
            stepMs: number[];
            stepCpuMs: number[];
          },
      );
      const flops = model === 'resnet-mini' ? flopsMini : r20[0].flopsPerStep;
      const row = summarise(
        `PyTorch ${torch} ${model} (${threads} thread${threads > 1 ? 's' : ''})`,
        128,
        runs.map((r) => median(r.stepMs)),
        STEPS,
        flops,
      );
      if (threads === 1) {
        // one thread: its CPU time is comparable with the wasm rows'
        row.cpuGflops = flops / median(runs.map((r) => median(r.stepCpuMs))) / 1e6;
        row.shareOfPeak = row.cpuGflops / peakOf(model === 'resnet-mini' ? mini : r20);
      }
      log(row);
    }
  }

  for (const [threads, batch] of section('workers')
    ? ([
        [1, 128],
        [2, 128],
        [2, 64],
      ] as const)
    : []) {
    const per = Array.from({ length: PROCESSES }, () => bareThreadsRun(threads, batch, WARMUP));
    log(
      summarise(
        `wasm local workers x${threads} resnet-mini (total)`,
        threads * batch,
        per.map((p) => (threads * batch * 1000) / p.imagesPerSec),
        THREAD_ROW_STEPS,
        (flopsMini / 128) * threads * batch,
        `${threads} worker thread(s) x batch ${batch}, bare steps, total over the common wall time; CPU ` +
          `${median(per.map((p) => p.cpuMs / THREAD_ROW_STEPS)).toFixed(0)} ms a step, all threads`,
      ),
    );
  }
  const one = rows.find((r) => r.what.startsWith('wasm local workers x1'));
  const two = rows.find((r) => r.what.startsWith('wasm local workers x2') && r.batch === 256);
  if (one && two) console.log(`  2 local workers / 1 worker: ${(two.imagesPerSec / one.imagesPerSec).toFixed(2)}x`);
  if (section('workers') || ONLY === 'trainer') trainerRows(flopsMini);
  const wasmMini = rows.find((r) => r.what === 'tfjs wasm resnet-mini (fast forward)');
  const torchMini = rows.find((r) => r.what.startsWith('PyTorch') && r.what.endsWith('resnet-mini (1 thread)'));
  if (wasmMini && torchMini) {
    console.log(
      `  wasm resnet-mini step / PyTorch 1 thread: ${(wasmMini.imagesPerSec / torchMini.imagesPerSec).toFixed(2)}x ` +
        `by wall time` +
        (wasmMini.cpuGflops && torchMini.cpuGflops
          ? `, ${(wasmMini.cpuGflops / torchMini.cpuGflops).toFixed(2)}x by CPU time`
          : ''),
    );
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  mkdirSync(`${here}../../bench/results`, { recursive: true });
  writeFileSync(
    `${here}../../bench/results/compute-latest.json`,
    JSON.stringify(
      { date: new Date().toISOString(), cores: cpus().length, loadavgAfter: loadavg(), rows, extras },
      null,
      2,
    ),
  );
}

main();
