/**
 * What this task does under `--rendezvous env` (Slurm, PyTorchJob): every task runs the same command; rank 0
 * becomes the coordinator (listening on all interfaces at MASTER_PORT) with one local worker of rank 0, and
 * every other rank becomes a worker that joins MASTER_ADDR:MASTER_PORT with its rank. fit and lr-find share it.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import { formatHostPort, rendezvousFromEnv, type EnvRendezvous } from '../../shared/config/index.js';
import type { LaunchOptions } from '../launchWorkers.js';

type EnvRole =
  | { role: 'coordinator'; env: EnvRendezvous; listen: string; worldSize: number; launch: LaunchOptions }
  | { role: 'worker'; env: EnvRendezvous; coordinator: string; rank: number };

/** Decides the role from the environment (ConfigError naming a missing or bad variable). */
export async function envRendezvousRole(env: NodeJS.ProcessEnv = process.env, host?: string): Promise<EnvRole> {
  const r = rendezvousFromEnv(env);
  if (r.rank > 0) return { role: 'worker', env: r, coordinator: r.coordinator, rank: r.rank };
  return {
    role: 'coordinator',
    env: r,
    listen: formatHostPort('0.0.0.0', r.port),
    worldSize: r.worldSize,
    launch: {
      localRanks: [0],
      joinAddress: r.coordinator,
      localHost: host ?? (await reachableAddress(r.host, r.port)),
    },
  };
}

/**
 * The address other machines reach this one at, for rank 0's local worker: the local end of the route to
 * MASTER_ADDR, or, when MASTER_ADDR is this machine seen through loopback (a PyTorchJob master may get
 * `localhost`), the first non-internal IPv4 address.
 */
async function reachableAddress(host: string, port: number): Promise<string> {
  const local = await new Promise<string>((resolve, reject) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (err) => {
      socket.close();
      reject(new Error(`no route to MASTER_ADDR ${host}: ${err.message}`, { cause: err }));
    });
    socket.connect(port, host, () => {
      const a = socket.address().address;
      socket.close();
      resolve(a);
    });
  });
  if (!/^(127\.|::1$)/.test(local)) return local;
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4');
  return external?.address ?? local;
}
