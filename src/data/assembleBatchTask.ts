/**
 * The piscina worker of BatchLoader: assembles one batch (gather + normalise + augment) off the main thread.
 * The splits arrive once, in workerData, with their pixels in SharedArrayBuffers (read in place, never copied);
 * each task carries only the example indices, and the result buffers are transferred back, not copied.
 */
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { PadMode } from '../shared/config/index.js';
import type { NormalizationStats } from './NormalizationStats.js';
import { assembleBatch, normalizationTable, type AssemblySource } from './assembleBatch.js';

export type SplitKey = 'train' | 'val';

/** What BatchLoader passes to its pool once, as workerData. */
export interface AssemblyWorkerData {
  readonly splits: Record<SplitKey, AssemblySource>;
  readonly stats: NormalizationStats;
  readonly seed: number;
  readonly padMode: PadMode;
}

export interface AssemblyTask {
  readonly split: SplitKey;
  /** Example indices, in batch order (transferred to the thread). */
  readonly indices: Int32Array;
  readonly epoch: number;
  readonly augment: boolean;
}

export interface AssembledBatch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
}

const data = workerData as AssemblyWorkerData;
const lut = normalizationTable(data.stats);

export default function assembleBatchTask(task: AssemblyTask): unknown {
  const source = data.splits[task.split];
  if (source === undefined) throw new Error(`assembleBatchTask: unknown split ${JSON.stringify(task.split)}`);
  const batch: AssembledBatch = assembleBatch(
    source,
    task.indices,
    { stats: data.stats, augment: task.augment, seed: data.seed, epoch: task.epoch, padMode: data.padMode },
    lut,
  );
  // move() marks the result so piscina posts `batch` with its two buffers in the transfer list.
  return move({ [transferableSymbol]: [batch.x.buffer, batch.labels.buffer], [valueSymbol]: batch });
}
