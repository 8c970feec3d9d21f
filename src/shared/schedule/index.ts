export type { Schedule, ScheduleValue } from './Schedule.js';
export { oneCycle, type OneCycleOptions } from './oneCycle.js';
export { lrRange, type LrRangeOptions } from './lrRange.js';
export { constant } from './constant.js';
export { step, type StepOptions } from './step.js';
export { scheduleToCsv } from './scheduleToCsv.js';
export { scaleGroupLrs } from './scaleGroupLrs.js';
export {
  headlineLr,
  type HyperparameterSchedule,
  type StepHyperparameters,
} from './StepHyperparameters.js';
export { hyperparameterSchedule, type HyperparameterScheduleOptions } from './hyperparameterSchedule.js';
