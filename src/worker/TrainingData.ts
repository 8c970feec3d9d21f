import type { TensorBatch } from './replica/index.js';

/** What a worker needs from the data layer: its shard of any global batch, chosen by (epoch, batch). */
export interface TrainingData {
  /** Examples in the training split (all ranks). */
  readonly trainExamples: number;
  readonly valExamples: number;
  /** [height, width, channels] of one example. */
  readonly inputShape: [number, number, number];
  readonly numClasses: number;
  /** Per-channel normalisation of the training split, recorded in the run config. */
  readonly stats: { mean: number[]; std: number[] };
  /** Examples in global training batch `batchInEpoch` over all ranks (the batch size, less for a last partial one). */
  trainBatchExamples(batchInEpoch: number): number;
  /** This rank's shard of global training batch `batchInEpoch` of `epoch`. */
  trainBatch(epoch: number, batchInEpoch: number): Promise<TensorBatch>;
  /** This rank's shard of validation batch `index` (wrapping around the split) of `size` examples. */
  evalBatch(index: number, size: number): Promise<TensorBatch>;
  /** This rank's shards of the whole validation split, in batches of at most `size` examples (globally). */
  evalSplit(size: number): AsyncIterable<TensorBatch>;
  /**
   * Takes rank `rank` of `worldSize` from now on (--elastic, after the ring was re-formed): the shards of every global
   * batch are cut by rank and world size, so the global batches keep their examples. Batches prefetched for the old
   * shard are dropped.
   */
  reshard(rank: number, worldSize: number): Promise<void>;
  close(): Promise<void>;
}
