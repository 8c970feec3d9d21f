/** Starting and finding a run's workers: rendezvous, local threads and processes, env (Slurm / PyTorchJob) roles. */
export { RendezvousServer, type Member, type RendezvousOptions } from './RendezvousServer.js';
export { startThreadWorker, startProcessWorker, type LocalWorker, type LocalWorkerSpec } from './LocalWorker.js';
export { envRendezvousRole, type EnvRole } from './envRendezvousRole.js';
