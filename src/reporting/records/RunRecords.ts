import type { EpochRecord, LrFindRecord, ReadBack, StepRecord } from './records.js';

/** A line of metrics.jsonl (fit) as the plots read it. */
export type StepRow = ReadBack<StepRecord, 'iteration' | 'epoch' | 'lr' | 'loss'>;

/** A line of lr_find.jsonl as the plots read it; `wd` is present in a weight-decay sweep (one curve per value). */
export type LrFindRow = ReadBack<LrFindRecord, 'iteration' | 'lr' | 'loss'>;

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
  epochs?: EpochRecord[];
  lrFind?: LrFindRow[];
  summary?: RunSummary;
}
