/**
 * Before/after of the whole training step: this build's and another build's `computeRun.js` (the bench:compute
 * wasm step row: Replica.computeGradients + applyUpdate, fast forward) in alternating processes (A B, B A, ...), so
 * that a busy moment of a shared machine hits both alike. Per process the median step's wall and CPU time
 * (process.cpuUsage: the step runs on one thread) and the CPU-timed GFLOP/s as a share of the SIMD peak measured
 * in that process; then the medians over the processes of each build.
 *
 * Usage: node dist/bench/stepAB.js OTHER_DIST [processes per build (4)] [steps (5)] [model (resnet-mini)]
 * OTHER_DIST is made as for kernelsAB.js (see its header): a copy of an older dist/ with this checkout's
 * node_modules linked beside it.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './computeSetup.js';
import type { RunResult, RunSpec } from './computeRun.js';

interface Sample {
  wallMs: number;
  cpuMs: number;
  share: number;
}

function main(): void {
  const [dist, procsArg = '4', stepsArg = '5', model = 'resnet-mini'] = process.argv.slice(2);
  if (dist == null || dist === '--help') {
    console.log('node dist/bench/stepAB.js OTHER_DIST [processes per build (4)] [steps (5)] [model (resnet-mini)]');
    process.exit(dist == null ? 2 : 0);
  }
  const runners = {
    A: resolve(dist, 'bench/computeRun.js'),
    B: fileURLToPath(new URL('./computeRun.js', import.meta.url)),
  };
  const spec: RunSpec = { backend: 'wasm', model, forward: 'fast', batch: 128, warmup: 1, steps: Number(stepsArg) };
  const samples: Record<'A' | 'B', Sample[]> = { A: [], B: [] };
  for (let i = 0; i < Number(procsArg); i++) {
    for (const build of i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      let r: RunResult;
      try {
        const out = execFileSync(process.execPath, [runners[build], JSON.stringify(spec)], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        });
        r = JSON.parse(out.trim().split('\n').pop()!) as RunResult;
      } catch (e) {
        throw new Error(`stepAB: build ${build} (${runners[build]}) failed: ${(e as Error).message}`, { cause: e });
      }
      const peak = r.simdPeakGflops?.relaxed ?? r.simdPeakGflops?.simd ?? NaN;
      const wallMs = median(r.stepMs);
      const cpuMs = median(r.stepCpuMs);
      const gflops = r.flopsPerStep / cpuMs / 1e6;
      samples[build].push({ wallMs, cpuMs, share: gflops / peak });
      console.log(
        `${build}: step ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU, ${((1000 * spec.batch) / wallMs).toFixed(1)} ` +
          `images/s; CPU-timed ${gflops.toFixed(1)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of the SIMD peak ` +
          `(${peak.toFixed(1)})`,
      );
    }
  }
  for (const build of ['A', 'B'] as const) {
    const s = samples[build];
    const wall = median(s.map((x) => x.wallMs));
    const cpu = median(s.map((x) => x.cpuMs));
    console.log(
      `${build} (${build === 'A' ? 'other build' : 'this build'}), medians over ${s.length} processes: step ${wall.toFixed(0)} ms ` +
        `wall (${((1000 * spec.batch) / wall).toFixed(1)} images/s), ${cpu.toFixed(0)} ms CPU; ` +
        `${(100 * median(s.map((x) => x.share))).toFixed(0)}% of the SIMD peak CPU-timed`,
    );
  }
}

main();
