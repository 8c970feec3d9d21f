/** Starting and finding a run's workers: rendezvous, local threads and processes, env (Slurm / PyTorchJob) roles. */
export { RendezvousServer, type Member } from './RendezvousServer.js';
export { startThreadWorker, startProcessWorker, type LocalWorker } from './LocalWorker.js';
export { envRendezvousRole } from './envRendezvousRole.js';
export { applyWorkerV8Flags, WORKER_V8_FLAGS } from './workerV8Flags.js';
