import { performance } from 'node:perf_hooks';
import type { Schedule } from '../shared/schedule/index.js';
import type { EpochRecord, FitCallback, FitContext, StepRecord } from './FitCallback.js';
import { SmoothLoss } from './SmoothLoss.js';

export interface LoopPlan {
  totalIterations: number;
  iterationsPerEpoch: number;
  schedule: Schedule;
  /** Evaluate the whole validation split at each epoch end (and at the last step). */
  evalEveryEpoch: boolean;
  /** Compare replica checksums every this many steps (0: never here). */
  checksumEvery: number;
}

export interface LoopResult {
  iterations: number;
  stoppedEarly?: string;
  /** Training throughput, excluding the first iteration (warm-up). */
  imagesPerSecond: number;
  lastEpoch?: EpochRecord;
}

async function emit<K extends keyof FitCallback>(cbs: FitCallback[], name: K, ...args: Parameters<NonNullable<FitCallback[K]>>) {
  for (const cb of cbs) {
    const f = cb[name] as ((...a: unknown[]) => unknown) | undefined;
    if (f) await f.apply(cb, args);
  }
}

/**
 * The training loop, top to bottom. The coordinator owns the global step: for each step it computes lr and momentum
 * from the schedule, broadcasts them, and reduces the workers' loss sums. Evaluation, records and progress are
 * callbacks.
 */
export async function trainLoop(ctx: FitContext, plan: LoopPlan, callbacks: FitCallback[], stopFlag: { reason?: string }): Promise<LoopResult> {
  const { cluster, config } = ctx;
  const smooth = new SmoothLoss(0.98);
  let steadyMs = 0;
  let steadyImages = 0;
  let epochStart = performance.now();
  let epochLoss = 0;
  let epochCount = 0;
  let lastEpoch: EpochRecord | undefined;
  let iteration = 0;
  await emit(callbacks, 'beforeFit', ctx);
  for (; iteration < plan.totalIterations && !stopFlag.reason; iteration++) {
    const epoch = Math.floor(iteration / plan.iterationsPerEpoch);
    const batchInEpoch = iteration % plan.iterationsPerEpoch;
    if (batchInEpoch === 0) {
      epochStart = performance.now();
      epochLoss = 0;
      epochCount = 0;
      await emit(callbacks, 'beforeEpoch', ctx, epoch);
    }
    const { lr, momentum } = plan.schedule(iteration);
    const t0 = performance.now();
    const r = await cluster.step({
      step: iteration, epoch, batchInEpoch, lr, momentum: momentum ?? 0, weightDecay: config.wd,
      groupLrs: [], groupWeightDecays: [],
    });
    const stepMs = performance.now() - t0;
    if (iteration > 0) {
      steadyMs += stepMs;
      steadyImages += r.count;
    }
    const loss = r.lossSum / r.count;
    epochLoss += r.lossSum;
    epochCount += r.count;
    const rec: StepRecord = {
      iteration, epoch, lr, momentum: momentum ?? 0, loss, smoothLoss: smooth.add(loss), trainAccuracy: r.correct / r.count,
      stepMs, computeMs: r.computeMs, allreduceMs: r.allreduceMs,
    };
    await emit(callbacks, 'afterStep', ctx, rec);
    if (plan.checksumEvery > 0 && (iteration + 1) % plan.checksumEvery === 0 && cluster.size > 1) {
      await cluster.verifyReplicas(`after step ${iteration}`);
    }
    const epochEnds = batchInEpoch === plan.iterationsPerEpoch - 1 || iteration === plan.totalIterations - 1;
    if (epochEnds && plan.evalEveryEpoch) {
      const seconds = (performance.now() - epochStart) / 1000;
      const v = await cluster.evaluate(); // averages the BatchNorm statistics first
      lastEpoch = {
        epoch, trainLoss: epochLoss / epochCount, valLoss: v.lossSum / v.count, accuracy: v.correct / v.count,
        seconds, imagesPerSecond: epochCount / seconds,
      };
      await emit(callbacks, 'afterEpoch', ctx, lastEpoch);
    }
  }
  await emit(callbacks, 'afterFit', ctx, stopFlag.reason);
  return {
    iterations: iteration,
    stoppedEarly: stopFlag.reason,
    imagesPerSecond: steadyMs > 0 ? steadyImages / (steadyMs / 1000) : 0,
    lastEpoch,
  };
}
