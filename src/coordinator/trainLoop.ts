import { performance } from 'node:perf_hooks';
import type { EpochRecord, StepRecord } from '../reporting/index.js';
import { type HyperparameterSchedule, headlineLr } from '../shared/schedule/index.js';
import { SmoothLoss } from '../shared/smoothing/index.js';
import type { LoopState } from './checkpoint/index.js';
import type { FitCallback, FitContext } from './FitCallback.js';
import { emit } from './emit.js';
import { NonFiniteLossError, TrainingInterruptedError } from './errors.js';

export interface LoopPlan {
  totalIterations: number;
  iterationsPerEpoch: number;
  /** Each step's whole hyperparameters (every group's lr and weight decay, the momentum): sent as they are. */
  schedule: HyperparameterSchedule;
  /** Evaluate the whole validation split at each epoch end (and at the last step). */
  evalEveryEpoch: boolean;
  /** Also evaluate the whole validation split every this many steps (0: only at epoch ends). */
  evalEvery?: number;
  /** Compare replica checksums every this many steps (0: never here). */
  checksumEvery: number;
  /** Where to start: a checkpoint's loop state (default: step 0, nothing accumulated). */
  start?: LoopState;
  /**
   * Saves a checkpoint every `every` steps (0: none in between), at every epoch end and when the loop stops early;
   * the loop waits for it.
   */
  checkpoint?: { every: number; save(state: LoopState): Promise<void> };
  /** Stop with a NonFiniteLossError at a NaN or infinite loss (before its checkpoint); false: go on. */
  stopOnNonFiniteLoss?: boolean;
  /**
   * When aborted (Ctrl-C), the loop finishes the step in flight, checkpoints it and throws a TrainingInterruptedError:
   * the run is not over, it continues with --resume.
   */
  interrupt?: AbortSignal;
}

export interface LoopResult {
  /** The context the callbacks saw (with the loop's stop()): for afterFit. */
  ctx: FitContext;
  iterations: number;
  stoppedEarly?: string;
  /** Training throughput, excluding the first iteration (warm-up). */
  imagesPerSecond: number;
  lastEpoch?: EpochRecord;
}

/**
 * The training loop, top to bottom. The coordinator owns the global step: for each step it sends the workers the
 * hyperparameters the schedule gives (every layer group's lr and weight decay, the momentum) as they are, and
 * reduces the workers' loss sums. Evaluation, records and progress are callbacks. The caller emits afterFit once it has written the run's outputs (summary.json, the model), so that
 * callbacks such as the plots and report see them. A resumed run starts at plan.start.nextIteration, mid-cycle.
 * The loop owns the stop flag: a callback's ctx.stop(reason) ends it after the current step (the first reason kept).
 */
export async function trainLoop(
  run: Omit<FitContext, 'stop'>,
  plan: LoopPlan,
  callbacks: FitCallback[],
): Promise<LoopResult> {
  const stopFlag: { reason?: string } = {};
  const ctx: FitContext = { ...run, stop: (reason) => void (stopFlag.reason ??= reason) };
  const { cluster } = ctx;
  const start = plan.start;
  const smooth = new SmoothLoss(0.98);
  if (start) smooth.restore(start.smoothLoss);
  const firstIteration = start?.nextIteration ?? 0;
  let steadyMs = 0;
  let steadyImages = 0;
  let epochStart = performance.now();
  let epochEvalMs = 0;
  let epochLoss = start?.epochLoss ?? 0;
  let epochCount = start?.epochCount ?? 0;
  let lastEpoch: EpochRecord | undefined = start?.lastEpoch;
  let iteration = firstIteration;
  await emit(callbacks, 'beforeFit', ctx);
  for (; iteration < plan.totalIterations && !stopFlag.reason; iteration++) {
    const epoch = Math.floor(iteration / plan.iterationsPerEpoch);
    const batchInEpoch = iteration % plan.iterationsPerEpoch;
    if (batchInEpoch === 0) {
      epochStart = performance.now();
      epochEvalMs = 0;
      epochLoss = 0;
      epochCount = 0;
      await emit(callbacks, 'beforeEpoch', ctx, epoch);
    }
    const hyperparameters = plan.schedule(iteration);
    const lr = headlineLr(hyperparameters);
    const t0 = performance.now();
    const r = await cluster.step({ step: iteration, epoch, batchInEpoch, ...hyperparameters });
    const stepMs = performance.now() - t0;
    if (iteration > firstIteration) {
      steadyMs += stepMs;
      steadyImages += r.count;
    }
    const loss = r.lossSum / r.count;
    if (!Number.isFinite(loss) && (plan.stopOnNonFiniteLoss ?? false))
      throw new NonFiniteLossError(iteration, loss, lr);
    epochLoss += r.lossSum;
    epochCount += r.count;
    const rec: StepRecord = {
      iteration,
      epoch,
      lr,
      lrs: hyperparameters.groupLrs,
      momentum: hyperparameters.momentum,
      loss,
      smoothLoss: smooth.add(loss),
      trainAccuracy: r.correct / r.count,
      stepMs,
      computeMs: r.computeMs,
      allreduceMs: r.allreduceMs,
      exchangeMs: r.exchangeMs,
    };
    await emit(callbacks, 'afterStep', ctx, rec);
    if (plan.checksumEvery > 0 && (iteration + 1) % plan.checksumEvery === 0 && cluster.size > 1) {
      await cluster.verifyReplicas(`after step ${iteration}`);
    }
    const epochEnds = batchInEpoch === plan.iterationsPerEpoch - 1 || iteration === plan.totalIterations - 1;
    const evalEnds = epochEnds && plan.evalEveryEpoch;
    const evalEvery = plan.evalEvery ?? 0;
    if (evalEnds || (evalEvery > 0 && (iteration + 1) % evalEvery === 0)) {
      const seconds = (performance.now() - epochStart - epochEvalMs) / 1000; // training time, without evaluations
      const e0 = performance.now();
      const v = await cluster.evaluate(); // averages the BatchNorm statistics first
      epochEvalMs += performance.now() - e0;
      const valLoss = v.lossSum / v.count;
      const accuracy = v.correct / v.count;
      await emit(callbacks, 'afterEval', ctx, { iterations: iteration + 1, epoch, valLoss, accuracy });
      if (evalEnds) {
        lastEpoch = {
          epoch,
          trainLoss: epochLoss / epochCount,
          valLoss,
          accuracy,
          seconds,
          imagesPerSecond: epochCount / seconds,
        };
        await emit(callbacks, 'afterEpoch', ctx, lastEpoch);
      }
    }
    const every = plan.checkpoint?.every ?? 0;
    const interrupted = plan.interrupt?.aborted ?? false;
    if (
      plan.checkpoint &&
      (epochEnds || stopFlag.reason || interrupted || (every > 0 && (iteration + 1) % every === 0))
    ) {
      await plan.checkpoint.save({
        nextIteration: iteration + 1,
        smoothLoss: smooth.state,
        epochLoss,
        epochCount,
        lastEpoch,
      });
    }
    if (interrupted && iteration + 1 < plan.totalIterations)
      throw new TrainingInterruptedError(iteration + 1, String(plan.interrupt?.reason));
  }
  return {
    ctx,
    iterations: iteration,
    stoppedEarly: stopFlag.reason,
    imagesPerSecond: steadyMs > 0 ? steadyImages / (steadyMs / 1000) : 0,
    lastEpoch,
  };
}
