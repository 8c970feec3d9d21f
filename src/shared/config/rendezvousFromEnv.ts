/**
 * Rendezvous from the variables cluster schedulers already set, so `srun superconverge fit --rendezvous env ...`
 * (Slurm) and a PyTorchJob (Kubeflow) run without per-task flags:
 * - MASTER_ADDR, MASTER_PORT: where rank 0 runs the coordinator (PyTorchJob sets both; a Slurm batch script
 *   exports them, see deploy/slurm/). MASTER_PORT defaults to 29500, as torch.distributed's.
 * - RANK, else SLURM_PROCID: this task's rank.
 * - WORLD_SIZE, else SLURM_NTASKS: the number of tasks, each one data-parallel worker.
 */
import { ConfigError } from './ConfigError.js';
import { formatHostPort } from './hostPort.js';

export interface EnvRendezvous {
  /** host:port of the coordinator's Rendezvous service. */
  coordinator: string;
  host: string;
  port: number;
  rank: number;
  worldSize: number;
  /** Which variables the values came from, for the log. */
  source: string;
}

const DEFAULT_MASTER_PORT = 29500;

function intVar(env: NodeJS.ProcessEnv, names: string[], min: number): { value: number; name: string } | undefined {
  for (const name of names) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new ConfigError(`${name} must be an integer >= ${min}, got '${text}'`);
    return { value, name };
  }
  return undefined;
}

export function rendezvousFromEnv(env: NodeJS.ProcessEnv = process.env): EnvRendezvous {
  const host = env.MASTER_ADDR;
  if (!host) {
    throw new ConfigError(
      'rendezvous from the environment needs MASTER_ADDR (the host of rank 0); under Slurm export it in the batch script, ' +
        'e.g. MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)',
    );
  }
  const port = intVar(env, ['MASTER_PORT'], 1);
  if (port && port.value > 65535) throw new ConfigError(`MASTER_PORT must be a port number, got ${port.value}`);
  const rank = intVar(env, ['RANK', 'SLURM_PROCID'], 0);
  const world = intVar(env, ['WORLD_SIZE', 'SLURM_NTASKS'], 1);
  if (!rank) throw new ConfigError('rendezvous from the environment needs RANK or SLURM_PROCID');
  if (!world) throw new ConfigError('rendezvous from the environment needs WORLD_SIZE or SLURM_NTASKS');
  if (rank.value >= world.value) {
    throw new ConfigError(`${rank.name}=${rank.value} is not below ${world.name}=${world.value}`);
  }
  const p = port?.value ?? DEFAULT_MASTER_PORT;
  return {
    coordinator: formatHostPort(host, p),
    host,
    port: p,
    rank: rank.value,
    worldSize: world.value,
    source: `MASTER_ADDR, ${port ? 'MASTER_PORT' : `default port ${DEFAULT_MASTER_PORT}`}, ${rank.name}, ${world.name}`,
  };
}
