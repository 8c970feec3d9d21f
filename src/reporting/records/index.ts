export {
  RECORD_FILES,
  EPOCH_COLUMNS,
  EVAL_COLUMNS,
  type StepRecord,
  type EpochRecord,
  type EvalRecord,
  type LrFindRecord,
  type ReadBack,
} from './records.js';
export type { StepRow, LrFindRow, LrSuggestion, RunSummary, RunRecords } from './RunRecords.js';
export { readRun } from './readRun.js';
export { Recorder } from './Recorder.js';
