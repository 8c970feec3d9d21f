export { fit, type FitOptions, type FitSummary } from './fit.js';
export { trainLoop, type LoopPlan, type LoopResult } from './trainLoop.js';
export type { FitCallback, FitContext } from './FitCallback.js';
export { Cluster } from './Cluster.js';
export type { WorkerHandle } from './WorkerHandle.js';
export { LocalWorkerHandle } from './LocalWorkerHandle.js';
export {
  WorkerError,
  ReplicaMismatchError,
  NonFiniteLossError,
  RunInterruptedError,
  TrainingInterruptedError,
} from './errors.js';
export { buildSchedule } from './buildSchedule.js';
export { emit } from './emit.js';
export * from './lrFind/index.js';
export { launchWorkers, type LaunchedWorkers, type LaunchOptions } from './launchWorkers.js';
export { GrpcWorkerHandle } from './GrpcWorkerHandle.js';
export { alignReplicas } from './alignReplicas.js';
export { envRendezvousRole, RendezvousServer, type Member } from './launch/index.js';
export type { StepTotals, Totals } from './Cluster.js';
export * from './checkpoint/index.js';
export { StartInterruptedError } from './StartInterruptedError.js';
