/** superconverge's public API: `import { fit } from 'superconverge'`. */
export {
  fit,
  lrFind,
  type FitOptions,
  type FitSummary,
  type LrFindOptions,
  type LrFindResult,
} from './coordinator/index.js';
export type { FitCallback, FitContext } from './coordinator/index.js';
export type { StepRecord, EpochRecord, EvalRecord, LrFindRecord } from './reporting/index.js';
export { resolveFitConfig, DEFAULT_FIT_CONFIG, ConfigError, type FitConfig } from './shared/config/index.js';
export { oneCycle, lrRange, constant, step, scheduleToCsv, type Schedule } from './shared/schedule/index.js';
export { loadDataset, DataError } from './data/index.js';
export { buildModel, loadModel, saveModel, selectBackend, sgdStep } from './worker/index.js';
