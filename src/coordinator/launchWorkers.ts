import { randomUUID } from 'node:crypto';
import { defaultSpawn, settings, type FitConfig } from '../shared/config/index.js';
import type { LogFormat, Logger } from '../shared/log/index.js';
import { GrpcWorkerHandle } from './GrpcWorkerHandle.js';
import { startProcessWorker, startThreadWorker, type LocalWorker } from './launch/LocalWorker.js';
import { RendezvousServer, type Member } from './launch/RendezvousServer.js';
import { LocalWorkerHandle } from './LocalWorkerHandle.js';
import { unlessInterrupted } from './StartInterruptedError.js';
import type { WorkerHandle } from './WorkerHandle.js';

export interface LaunchedWorkers {
  workers: WorkerHandle[];
  ringAddresses: string[];
  /** The run id the workers joined under (Cluster uses it for every call). */
  runId: string;
  /** The workers this process started (threads, processes), by launch order; empty for inline and remote ones. */
  locals?: LocalWorker[];
  /** --elastic: the rendezvous, which frees a lost worker's rank and hands over workers that join later. */
  membership?: RendezvousServer;
  /** Opens a handle to a worker that joined later (with the same deadlines and heartbeat probing). */
  connect?(m: Member): GrpcWorkerHandle;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Ranks this process starts as local workers. Default: every rank without --listen, none with it. */
  localRanks?: number[];
  /** Where local workers join (default: the bound rendezvous address); env rendezvous joins at MASTER_ADDR:PORT. */
  joinAddress?: string;
  /** Address local workers bind and advertise; default: their route to joinAddress. */
  localHost?: string;
  /** Log format of thread and process workers (default pretty). */
  logFormat?: LogFormat;
  /** Aborted (Ctrl-C, SIGTERM) while waiting for the workers: the wait ends at once with a StartInterruptedError. */
  signal?: AbortSignal;
}

/**
 * Starts (or waits for) the run's workers as the config says, and returns their handles by rank:
 * - one worker, spawn inline, no --listen: the worker runs in this thread (the worker's code, and tfjs with it, is
 *   loaded then, and only then: a coordinator of thread, process or remote workers never loads tfjs);
 * - otherwise a Rendezvous service on config.listen (default 127.0.0.1, any port) that `config.workers` workers
 *   join: local ones started here as threads or processes (one per GPU with --gpus), remote ones with
 *   `superconverge worker --join`. lr-find and fit share this path.
 */
export async function launchWorkers(
  config: FitConfig,
  log: Logger,
  opts: LaunchOptions = {},
): Promise<LaunchedWorkers> {
  const runId = randomUUID();
  if (config.listen === '' && config.workers === 1 && config.spawn === 'inline' && opts.localRanks === undefined) {
    const { TrainingWorker, localWorkerEnvironment } = await import('../worker/index.js');
    const worker = new TrainingWorker(localWorkerEnvironment);
    return { workers: [new LocalWorkerHandle(0, worker)], ringAddresses: [], runId, close: async () => {} };
  }
  const limits = settings();
  const worldSize = config.workers;
  const localRanks = opts.localRanks ?? (config.listen === '' ? Array.from({ length: worldSize }, (_, r) => r) : []);
  const spawnMode = config.spawn === 'inline' ? defaultSpawn(config.backend) : config.spawn;
  const rendezvous = await RendezvousServer.listen({
    bindAddress: config.listen || '127.0.0.1:0',
    worldSize,
    runId,
    log,
    elastic: config.elastic,
  });
  const coordinator = opts.joinAddress ?? rendezvous.address;
  if (localRanks.length < worldSize) {
    // Where they join: the bound address, or under env rendezvous MASTER_ADDR:MASTER_PORT (the bound one is 0.0.0.0).
    log.info(
      { address: rendezvous.address, run: runId },
      `waiting for ${worldSize - localRanks.length} worker(s) to join: superconverge worker --join ${coordinator}`,
    );
  }
  const locals: LocalWorker[] = localRanks.map((rank, i) => {
    const spec = {
      rank,
      coordinator,
      host: opts.localHost,
      logFormat: opts.logFormat ?? 'pretty',
      gpu: config.gpus[i],
    };
    return spawnMode === 'process' ? startProcessWorker(spec) : startThreadWorker(spec);
  });
  const stopLocals = (graceMs: number) => Promise.all(locals.map((l) => l.stop(graceMs)));
  try {
    const members = await unlessInterrupted(
      opts.signal,
      () =>
        `waiting for ${worldSize} worker(s) to join ${rendezvous.address} (${rendezvous.joinedSoFar().length} joined)`,
      rendezvous.waitForAll(
        limits.rendezvousTimeoutMs,
        locals.length ? Promise.race(locals.map((l) => l.failed)) : undefined,
      ),
    );
    const connect = (m: Member): GrpcWorkerHandle =>
      new GrpcWorkerHandle(m.rank, m.workerAddress, limits, m.heartbeatAddress || undefined);
    const workers = members.map(connect);
    log.info({ workers: worldSize, spawn: locals.length ? spawnMode : 'remote' }, `all ${worldSize} workers joined`);
    return {
      workers,
      ringAddresses: members.map((m) => m.ringAddress),
      runId,
      locals,
      ...(config.elastic && { membership: rendezvous, connect }),
      close: async () => {
        for (const w of workers) w.close();
        await stopLocals(limits.workerExitGraceMs);
        await rendezvous.close();
      },
    };
  } catch (err) {
    // Workers that did join (remote ones too) are told the run is off instead of waiting for their idle timeout.
    await Promise.allSettled(
      rendezvous.joinedSoFar().map(async (m) => {
        const w = new GrpcWorkerHandle(m.rank, m.workerAddress);
        try {
          await w.shutdown(runId, 'the other workers did not join');
        } finally {
          w.close();
        }
      }),
    );
    await stopLocals(0);
    await rendezvous.close();
    throw err;
  }
}
