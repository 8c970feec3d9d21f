/**
 * The piscina worker of BatchLoader: assembles one batch (gather + normalise + augment) off the main thread.
 * The splits arrive once, in workerData, with their pixels in SharedArrayBuffers (read in place, never copied);
 * each task carries only the example indices, and the result buffers are transferred back, not copied.
 */
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { normalizationTable } from './assembleBatch.js';
import { assembleTask, type AssemblyTask, type AssemblyWorkerData } from './assembleTask.js';

const data = workerData as AssemblyWorkerData;
const lut = normalizationTable(data.stats);

export default function assembleBatchTask(task: AssemblyTask): unknown {
  const batch = assembleTask(data, task, lut);
  // move() marks the result so piscina posts `batch` with its two buffers in the transfer list.
  return move({ [transferableSymbol]: [batch.x.buffer, batch.labels.buffer], [valueSymbol]: batch });
}
