/**
 * One benchmark process: resnet-mini trained through the trainer (`fit` on the shipped sample, backend wasm, no
 * augmentation) by N local workers, as a user runs it. Prints one JSON line.
 *
 * A step's time is the interval between two consecutive afterStep callbacks: everything the loop does per step
 * (schedule, the Step call, the batch's assembly wait, gradients, allreduce, update, records, progress), not only
 * Cluster.step's. The first `warmup` steps are left out; the run ends within its first epoch (more steps than an
 * epoch has are refused), so no evaluation falls inside the timed steps. CPU time is the whole process's (every thread:
 * the coordinator, thread workers, batch assembly), so it is comparable with computeRun's for one worker.
 * Usage: node dist/bench/computeFit.js '{"workers":1,"batch":128,"warmup":2,"steps":7}'
 *   (batch: the global batch, split across the workers; spawn: inline/thread/process, default fit's own)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fit } from '../src/coordinator/index.js';
import type { SpawnMode } from '../src/shared/config/index.js';
import { createLogger } from '../src/shared/log/index.js';

export interface FitRunSpec {
  workers: number;
  batch: number;
  warmup: number;
  steps: number;
  spawn?: SpawnMode;
}

export interface FitRunResult {
  spec: FitRunSpec;
  /** Wall time of each timed step, from one afterStep to the next. */
  stepMs: number[];
  /** The process's CPU time (all its threads) over the same intervals. */
  stepCpuMs: number[];
  /** What the loop times (Cluster.step: the Step calls). */
  clusterStepMs: number[];
  /** The slowest worker's compute (gradients + update) and the slowest allreduce (its wait for the peers included). */
  computeMs: number[];
  allreduceMs: number[];
  /** The shortest allreduce of each step (the last rank's): the exchange itself, without waiting for a peer. */
  exchangeMs: number[];
  /**
   * Linux (/proc/self/task/N/schedstat): where the wall time of the training threads (the `workers` busiest threads
   * of the process) went over the timed steps, ms a step each: on a core, waiting for one (other runnable threads:
   * the machine's load), and asleep (waiting for the batch, the peer in the allreduce, or the coordinator's next
   * Step). On an idle machine the wait for a core vanishes; the sleep is what the trainer itself leaves unused.
   * Absent without /proc.
   */
  trainingThreads?: { onCpuMs: number; runQueueMs: number; asleepMs: number }[];
  /**
   * Linux: the process's other threads with at least 1 ms on a core a step over the same steps, largest first: what
   * competes with the training threads for the cores. `name` is /proc/self/task/N/comm ('node' for most of Node's
   * and V8's threads), or 'main' for the process's main thread (the coordinator's). Absent without /proc.
   */
  otherThreads?: { name: string; onCpuMs: number }[];
}

/** On-CPU and run-queue time, ms, and the name of every thread of this process (empty without /proc). */
function schedStats(): Map<string, [number, number, string]> {
  const dir = '/proc/self/task';
  const out = new Map<string, [number, number, string]>();
  if (!existsSync(dir)) return out;
  for (const tid of readdirSync(dir)) {
    try {
      const [onCpu, queued] = readFileSync(`${dir}/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      const name = readFileSync(`${dir}/${tid}/comm`, 'utf8').trim();
      out.set(tid, [onCpu / 1e6, queued / 1e6, name]);
    } catch (e) {
      // A thread that ended between the listing and the read did not train; anything else is an error.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  return out;
}

export async function runFit(spec: FitRunSpec): Promise<FitRunResult> {
  const iterations = spec.warmup + spec.steps + 1;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sc-bench-fit-'));
  const marks: { t: number; cpu: number; step: number; compute: number; allreduce: number; exchange: number }[] = [];
  const sched: Map<string, [number, number, string]>[] = [];
  try {
    await fit(
      {
        model: 'resnet-mini',
        data: 'sample',
        backend: 'wasm',
        workers: spec.workers,
        ...(spec.spawn && { spawn: spec.spawn }),
        batchSize: spec.batch,
        iterations,
        augment: false,
        seed: 0,
        out: path.join(dir, 'run'),
      },
      {
        plots: false,
        logger: createLogger({ level: 'warn' }),
        callbacks: [
          {
            beforeFit: (ctx) => {
              if (iterations > ctx.iterationsPerEpoch) {
                throw new Error(
                  `computeFit: ${iterations} steps of batch ${spec.batch} pass the first epoch end ` +
                    `(${ctx.iterationsPerEpoch} steps), whose evaluation would fall inside the timed steps: ` +
                    'fewer --steps or --warmup',
                );
              }
            },
            afterStep: (_ctx, rec) => {
              if (rec.iteration === spec.warmup || rec.iteration === iterations - 1) sched.push(schedStats());
              const c = process.cpuUsage();
              marks.push({
                t: performance.now(),
                cpu: (c.user + c.system) / 1000,
                step: rec.stepMs,
                compute: rec.computeMs,
                allreduce: rec.allreduceMs,
                exchange: rec.exchangeMs ?? 0,
              });
            },
          },
        ],
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const timed = marks.slice(spec.warmup + 1);
  const prev = (i: number) => marks[spec.warmup + i];
  const wallMs = (marks[marks.length - 1].t - marks[spec.warmup].t) / spec.steps;
  const [before, after] = sched;
  const threads =
    after && after.size > 0
      ? [...after]
          .map(([tid, [on, queued, comm]]) => {
            const [on0, queued0] = before.get(tid) ?? [0, 0];
            const name = tid === String(process.pid) ? 'main' : comm;
            return { name, onCpuMs: (on - on0) / spec.steps, runQueueMs: (queued - queued0) / spec.steps };
          })
          .sort((a, b) => b.onCpuMs - a.onCpuMs)
      : undefined;
  const trainingThreads = threads
    ?.slice(0, spec.workers)
    .map(({ onCpuMs, runQueueMs }) => ({ onCpuMs, runQueueMs, asleepMs: wallMs - onCpuMs - runQueueMs }));
  const otherThreads = (threads?.slice(spec.workers) ?? [])
    .filter((t) => t.onCpuMs >= 1)
    .map(({ name, onCpuMs }) => ({ name, onCpuMs }));
  return {
    spec,
    stepMs: timed.map((m, i) => m.t - prev(i).t),
    stepCpuMs: timed.map((m, i) => m.cpu - prev(i).cpu),
    clusterStepMs: timed.map((m) => m.step),
    computeMs: timed.map((m) => m.compute),
    allreduceMs: timed.map((m) => m.allreduce),
    exchangeMs: timed.map((m) => m.exchange),
    ...(trainingThreads && { trainingThreads, otherThreads }),
  };
}

const isMain = process.argv[1]?.endsWith('computeFit.js');
if (isMain) {
  runFit(JSON.parse(process.argv[2] ?? '{}') as FitRunSpec).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
