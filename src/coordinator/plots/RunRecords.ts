import type { EpochRecord } from '../FitCallback.js';

/** One line of metrics.jsonl (fit) as the plots read it; other fields are kept but not needed. */
export interface StepRow {
  iteration: number;
  epoch: number;
  lr: number;
  /** Every layer group's lr, where the run has groups. */
  lrs?: number[];
  momentum?: number;
  loss: number;
  smoothLoss?: number;
  trainAccuracy?: number;
}

/** One row of epochs.csv: what the Recorder writes. */
export type EpochRow = EpochRecord;

/** One line of lr_find.jsonl; `wd` is present in a weight-decay sweep (one curve per value). */
export interface LrFindRow {
  iteration: number;
  lr: number;
  lrs?: number[];
  momentum?: number;
  loss: number;
  smoothLoss?: number;
  valLoss?: number;
  accuracy?: number;
  wd?: number;
}

/** lr_find's suggestion in summary.json. */
export interface LrSuggestion {
  lr: number;
  minValLossLr?: number;
  steepestLr?: number;
  [key: string]: unknown;
}

/** summary.json, as far as the plots and the report use it; every field may be missing in an older or partial run. */
export interface RunSummary {
  valLoss?: number;
  accuracy?: number;
  iterations?: number;
  epochs?: number;
  imagesPerSecond?: number;
  workers?: number;
  backend?: string;
  stoppedEarly?: string;
  config?: Record<string, unknown>;
  suggestion?: LrSuggestion;
  [key: string]: unknown;
}

/** What a run directory holds; a file that is absent (or empty) leaves its field undefined. */
export interface RunRecords {
  dir: string;
  steps?: StepRow[];
  epochs?: EpochRow[];
  lrFind?: LrFindRow[];
  summary?: RunSummary;
}
