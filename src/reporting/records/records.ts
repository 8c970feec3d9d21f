/**
 * The records a run writes, one type per kind of line or row: what fit's loop and lr_find record, what the files
 * hold, and what the plots, the report and TensorBoard read. Readers of older or partial files get them as ReadBack.
 */

/** The record files in a run directory. */
export const RECORD_FILES = {
  steps: 'metrics.jsonl',
  epochs: 'epochs.csv',
  evals: 'evals.csv',
  lrFind: 'lr_find.jsonl',
  summary: 'summary.json',
} as const;

/** The columns of epochs.csv and evals.csv, in order. */
export const EPOCH_COLUMNS = ['epoch', 'trainLoss', 'valLoss', 'accuracy', 'seconds', 'imagesPerSecond'] as const;
export const EVAL_COLUMNS = ['iterations', 'epoch', 'valLoss', 'accuracy'] as const;

/** One iteration's record (a line of metrics.jsonl). */
export interface StepRecord {
  iteration: number;
  epoch: number;
  /** The last layer group's lr (the schedule's). */
  lr: number;
  /** Every layer group's lr, first group first (absent where the config does not list the groups). */
  lrs?: number[];
  /** The schedule's momentum (the last layer group's, as lr). */
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
  /** The shortest allreduce of the step (the last rank's: the exchange without the wait for a peer), ms. */
  exchangeMs?: number;
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

/** One line of lr_find.jsonl. */
export interface LrFindRecord
  extends Pick<StepRecord, 'iteration' | 'lr' | 'lrs' | 'momentum' | 'loss' | 'smoothLoss'> {
  /** Loss and accuracy on the validation batch evaluated after the step. */
  valLoss: number;
  accuracy: number;
  wd?: number;
  /** The sweep's weight decay per layer group, where it lists one per group. */
  wds?: number[];
}

/**
 * A record read back from a file: the `Checked` fields are there (the reader refuses a line without them), the others
 * may be missing (a file of an older version).
 */
export type ReadBack<T, Checked extends keyof T> = Pick<T, Checked> & Partial<T>;
