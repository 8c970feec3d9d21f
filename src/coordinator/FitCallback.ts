import type { FitConfig } from '../shared/config/index.js';
import type { Logger } from '../shared/log/index.js';
import type { Cluster } from './Cluster.js';

/** One iteration's record (a line of metrics.jsonl). */
export interface StepRecord {
  iteration: number;
  epoch: number;
  /** The last layer group's lr (the schedule's). */
  lr: number;
  /** Every layer group's lr, first group first (absent where the config does not list the groups). */
  lrs?: number[];
  /** null where the schedule and config set no momentum (never, in practice: fit always has one). */
  momentum: number;
  /** Mean cross-entropy of this global batch. */
  loss: number;
  /** fastai's debiased exponential moving average of the loss (beta 0.98). */
  smoothLoss: number;
  /** Top-1 accuracy on this training batch. */
  trainAccuracy: number;
  /** Wall time of the step at the coordinator, and the slowest worker's compute and allreduce times, ms. */
  stepMs: number;
  computeMs: number;
  allreduceMs: number;
}

/** One epoch's record (a row of epochs.csv). */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  accuracy: number;
  seconds: number;
  imagesPerSecond: number;
}

/** One evaluation of the whole validation split (a row of evals.csv): at epoch ends and every `evalEvery` steps. */
export interface EvalRecord {
  /** Steps done when it was evaluated (the last step's iteration + 1). */
  iterations: number;
  epoch: number;
  valLoss: number;
  accuracy: number;
}

/** What every callback can see and do during a run. */
export interface FitContext {
  readonly config: FitConfig;
  readonly runDir: string;
  readonly cluster: Cluster;
  readonly log: Logger;
  readonly totalIterations: number;
  readonly iterationsPerEpoch: number;
  /** Asks the loop to stop after the current step (as fastai's CancelFitException). */
  stop(reason: string): void;
}

/**
 * Named events of the training loop (fastai's callbacks): the recorder, the progress bar and lr_find plug in here
 * instead of copying the loop. Called in the order given, awaited.
 */
export interface FitCallback {
  beforeFit?(ctx: FitContext): void | Promise<void>;
  beforeEpoch?(ctx: FitContext, epoch: number): void | Promise<void>;
  afterStep?(ctx: FitContext, rec: StepRecord): void | Promise<void>;
  afterEpoch?(ctx: FitContext, rec: EpochRecord): void | Promise<void>;
  /** After every evaluation of the whole validation split (before afterEpoch at an epoch end). */
  afterEval?(ctx: FitContext, rec: EvalRecord): void | Promise<void>;
  afterFit?(ctx: FitContext, stoppedEarly: string | undefined): void | Promise<void>;
}
