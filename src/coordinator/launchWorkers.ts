import type { FitConfig } from '../shared/config/index.js';
import type { Logger } from '../shared/log/index.js';
import { TrainingWorker } from '../worker/index.js';
import { localWorkerEnvironment } from '../worker/localWorkerEnvironment.js';
import { LocalWorkerHandle } from './LocalWorkerHandle.js';
import type { WorkerHandle } from './WorkerHandle.js';

export interface LaunchedWorkers {
  workers: WorkerHandle[];
  ringAddresses: string[];
  close(): Promise<void>;
}

/** Starts the run's local workers as the config says (spawn inline, thread or process). */
export async function launchWorkers(config: FitConfig, _log: Logger): Promise<LaunchedWorkers> {
  if (config.spawn !== 'inline' || config.workers !== 1) {
    throw new Error(`spawn '${config.spawn}' with ${config.workers} workers is not available in this build`);
  }
  const worker = new TrainingWorker(localWorkerEnvironment);
  return { workers: [new LocalWorkerHandle(0, worker)], ringAddresses: [], close: async () => {} };
}
