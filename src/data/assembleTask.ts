/**
 * One of BatchLoader's assembly tasks: the batch of `task`, from what a loader gives its assembly threads once
 * (AssemblyWorkerData). It runs on an assembly thread (assembleBatchTask.ts) or, for a small batch, in place in the
 * loader: the same function either way, so the same values.
 */
import type { PadMode } from '../shared/config/index.js';
import type { NormalizationStats } from './NormalizationStats.js';
import { assembleBatch, type AssemblySource } from './assembleBatch.js';

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
  /** Example indices, in batch order. */
  readonly indices: Int32Array;
  readonly epoch: number;
  readonly augment: boolean;
}

export interface AssembledBatch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
}

/** `lut`: normalizationTable(data.stats), made once by the caller. */
export function assembleTask(data: AssemblyWorkerData, task: AssemblyTask, lut: Float32Array): AssembledBatch {
  const source = data.splits[task.split];
  if (source === undefined) throw new Error(`assembleTask: unknown split ${JSON.stringify(task.split)}`);
  return assembleBatch(
    source,
    task.indices,
    { stats: data.stats, augment: task.augment, seed: data.seed, epoch: task.epoch, padMode: data.padMode },
    lut,
  );
}
