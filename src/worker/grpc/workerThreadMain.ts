/**
 * Entry of a worker thread (`--spawn thread`): the thread selects its own backend (Configure does), joins the
 * coordinator like any remote worker, serves until the run ends, and then exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, type LogFormat } from '../../shared/log/index.js';
import { joinCoordinator } from './joinCoordinator.js';

export interface WorkerThreadData {
  coordinator: string;
  rank: number;
  host?: string;
  logFormat: LogFormat;
}

if (!parentPort)
  throw new Error('workerThreadMain.js runs as a worker_thread (started by the coordinator with --spawn thread)');
const data = workerData as WorkerThreadData;
const log = createLogger({ format: data.logFormat, bindings: { rank: data.rank } });
// A thread lives and dies with the coordinator's process: it does not watch it.
const joined = await joinCoordinator({
  coordinator: data.coordinator,
  rank: data.rank,
  host: data.host,
  log,
  watchCoordinator: false,
});
const reason = await joined.finished;
log.debug(`worker thread ends: ${reason}`);
// Lingering handles (piscina, tfjs) must not keep the thread alive once the run is over.
process.exit(0);
