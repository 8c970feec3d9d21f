import type { FitConfig } from '../shared/config/index.js';
import type { Logger } from '../shared/log/index.js';
import type { EpochRecord, EvalRecord, StepRecord } from '../reporting/index.js';
import type { Cluster } from './Cluster.js';

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
