import { envRendezvousRole, type LaunchOptions } from '../coordinator/index.js';
import type { FitConfig } from '../shared/config/index.js';
import type { LogFormat } from '../shared/log/index.js';
import { runWorker } from './workerCommand.js';

/**
 * Runs a coordinator job (fit, lr-find) with its workers: with `--rendezvous env` every task runs the same command
 * and the environment (Slurm, Kubeflow) says whether this one coordinates or serves as a worker.
 */
export async function runWithRendezvous(
  o: { rendezvous?: 'env'; host?: string; logFormat: LogFormat; config: Partial<FitConfig> },
  job: (config: Partial<FitConfig>, launch: LaunchOptions) => Promise<void>,
): Promise<number> {
  if (o.rendezvous === 'env') {
    const role = await envRendezvousRole(process.env, o.host);
    if (role.role === 'worker')
      return runWorker({ coordinator: role.coordinator, rank: role.rank, host: o.host, logFormat: o.logFormat });
    await job(
      { ...o.config, listen: role.listen, workers: role.worldSize },
      { ...role.launch, logFormat: o.logFormat },
    );
    return 0;
  }
  await job(o.config, { logFormat: o.logFormat, localHost: o.host });
  return 0;
}
