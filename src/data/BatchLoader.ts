import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { batchExamples, epochLength, type PadMode } from '../shared/config/index.js';
import { DataError } from './DataError.js';
import type { DatasetSplit } from './DatasetSplit.js';
import type { NormalizationStats } from './NormalizationStats.js';
import { shardRange } from './shardRange.js';
import { toSharedBytes } from './toSharedBytes.js';
import { normalizationTable } from './assembleBatch.js';
import {
  assembleTask,
  type AssembledBatch,
  type AssemblyTask,
  type AssemblyWorkerData,
  type SplitKey,
} from './assembleTask.js';
import { epochPermutation } from './epochPermutation.js';

/** One rank's shard of a batch, ready for the model. */
export interface Batch {
  /** Normalised (and, for training with augment on, augmented) inputs, NHWC, length count·H·W·C. */
  readonly x: Float32Array;
  readonly labels: Int32Array;
  /** Examples in this shard (may be 0 for evaluation when a split has fewer examples than ranks). */
  readonly count: number;
  readonly shape: [number, number, number, number];
  /** Dataset indices of the shard's examples, in batch order. */
  readonly indices: Int32Array;
}

export interface BatchLoaderOptions {
  readonly train: DatasetSplit;
  /** The split evaluated by evalBatch / evalShards (the dataset's test split). */
  readonly val: DatasetSplit;
  /** Normalisation statistics of the training split (computeNormalization(train)), from the run config. */
  readonly stats: NormalizationStats;
  /** Examples per optimisation step over all ranks together. */
  readonly globalBatchSize: number;
  readonly rank: number;
  readonly worldSize: number;
  readonly seed: number;
  /** Random crop (4-pixel padding) + horizontal flip on training batches. Default false (`--augment`: true). */
  readonly augment?: boolean;
  /** How the crop pads: 'reflect' (default, fastai 0.7) or 'zeros' (torchvision). */
  readonly padMode?: PadMode;
  /** Drop the last partial batch of each epoch. Default false: ceil(N/B) batches, the last one smaller. */
  readonly dropLast?: boolean;
  /** Shuffle the training order each epoch. Default true (`--no-shuffle`: false). */
  readonly shuffle?: boolean;
  /** Batches prepared ahead of the one requested. Default 2; 0 disables prefetching. */
  readonly prefetch?: number;
  /** Batch-assembly threads. Default 1: training needs the cores. */
  readonly threads?: number;
  /**
   * Batches of at most this many input values (examples × height × width × channels) are assembled on the calling
   * thread, when asked for, instead of on an assembly thread. Default INLINE_ASSEMBLY_MAX_VALUES; 0 sends every batch
   * to the threads.
   */
  readonly inlineMaxValues?: number;
}

/**
 * Handing a batch to the assembly thread costs the asking thread about 0.1 ms of CPU (posting the task, then taking
 * its reply) however small the batch; assembling it in place costs about 9 ns a value, 18 augmented. Batches up to
 * 4096 values are cheaper in place either way: the step-overhead bench's 32 images of 4×4, not a Fashion-MNIST
 * shard of 64 images (50,176 values). Measured by `node dist/bench/assemblyHandoff.js`.
 */
export const INLINE_ASSEMBLY_MAX_VALUES = 4096;

const TASK_FILE = fileURLToPath(new URL('./assembleBatchTask.js', import.meta.url));

function requireInt(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DataError(`BatchLoader: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

/**
 * Assembles this rank's shards of the global batches on piscina threads, prefetching ahead; a batch of at most
 * `inlineMaxValues` values is assembled in place when asked for (the same function, so the same values).
 *
 * Epoch e visits the training examples in epochPermutation(n, seed, e, shuffle); global batch b of the epoch is
 * perm[b·B .. (b+1)·B) and rank r of N takes the contiguous part shardRange(B, r, N) of it. So the examples of a
 * step do not depend on N, and since each example's augmentation is drawn from (seed, epoch, index), neither do
 * its pixels. The last global batch of an epoch holds what is left (N mod B examples), cut into shards the same way,
 * unless `dropLast`.
 */
export class BatchLoader {
  readonly iterationsPerEpoch: number;
  readonly globalBatchSize: number;
  readonly rank: number;
  readonly worldSize: number;
  readonly augment: boolean;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly prefetch: number;
  private readonly train: DatasetSplit;
  private readonly val: DatasetSplit;
  private readonly seed: number;
  private readonly inlineMaxValues: number;
  private readonly threads: number;
  private readonly workerData: AssemblyWorkerData;
  /** Started with the loader when its training shards go to threads, else when a batch first does. */
  private pool: Piscina<AssemblyTask, AssembledBatch> | undefined;
  /** normalizationTable(stats), for batches assembled on this thread. */
  private readonly lut: Float32Array;
  /** Training batches requested or prefetched, by global step (epoch · iterationsPerEpoch + batchInEpoch). */
  private readonly pending = new Map<number, Promise<Batch>>();
  private readonly permutations = new Map<number, Int32Array>();
  /** Every task submitted to the pool and not yet settled, so close() can wait for them. */
  private readonly inflight = new Set<Promise<AssembledBatch>>();
  private closed = false;

  constructor(options: BatchLoaderOptions) {
    const { train, val, stats, globalBatchSize, rank, worldSize, seed } = options;
    requireInt('worldSize', worldSize, 1);
    requireInt('rank', rank, 0);
    if (rank >= worldSize) throw new DataError(`BatchLoader: rank ${rank} is outside 0..${worldSize - 1}`);
    requireInt('globalBatchSize', globalBatchSize, 1);
    requireInt('seed', seed, 0);
    if (globalBatchSize < worldSize) {
      throw new DataError(
        `BatchLoader: global batch size ${globalBatchSize} is smaller than the world size ${worldSize}; ` +
          'every rank needs at least one example per step',
      );
    }
    if (globalBatchSize > train.n) {
      throw new DataError(
        `BatchLoader: global batch size ${globalBatchSize} exceeds the ${train.n} examples of ${train.name}`,
      );
    }
    if (val.height !== train.height || val.width !== train.width || val.channels !== train.channels) {
      throw new DataError(
        `BatchLoader: ${val.name} images are ${val.height}×${val.width}×${val.channels}, ` +
          `${train.name} images ${train.height}×${train.width}×${train.channels}`,
      );
    }
    if (stats.mean.length !== train.channels || stats.std.length !== train.channels) {
      throw new DataError(
        `BatchLoader: normalisation stats have ${stats.mean.length} means and ${stats.std.length} stds ` +
          `for ${train.channels}-channel images`,
      );
    }
    this.prefetch = options.prefetch ?? 2;
    requireInt('prefetch', this.prefetch, 0);
    const threads = options.threads ?? 1;
    requireInt('threads', threads, 1);
    this.threads = threads;
    this.inlineMaxValues = options.inlineMaxValues ?? INLINE_ASSEMBLY_MAX_VALUES;
    requireInt('inlineMaxValues', this.inlineMaxValues, 0);

    this.train = train;
    this.val = val;
    this.seed = seed;
    this.globalBatchSize = globalBatchSize;
    this.rank = rank;
    this.worldSize = worldSize;
    this.augment = options.augment ?? false;
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    this.iterationsPerEpoch = epochLength(train.n, globalBatchSize, this.dropLast);

    const source = (split: DatasetSplit) => ({
      pixels: toSharedBytes(split.pixels),
      labels: split.labels,
      height: split.height,
      width: split.width,
      channels: split.channels,
    });
    this.workerData = {
      splits: { train: source(train), val: source(val) },
      stats: { mean: [...stats.mean], std: [...stats.std] },
      seed,
      padMode: options.padMode ?? 'reflect',
    };
    this.lut = normalizationTable(stats);
    const shard = shardRange(globalBatchSize, rank, worldSize);
    if (!this.inline(shard.end - shard.start)) this.startPool();
  }

  get trainExamples(): number {
    return this.train.n;
  }

  get valExamples(): number {
    return this.val.n;
  }

  /** Live assembly threads (0 before any batch needed them, and after close()). */
  get threadCount(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Global steps whose batches are assembling or assembled ahead of being asked for, ascending. */
  get pendingSteps(): number[] {
    return [...this.pending.keys()].sort((a, b) => a - b);
  }

  /** The training order of `epoch` (cached for the two most recent epochs asked for). */
  epochOrder(epoch: number): Int32Array {
    requireInt('epoch', epoch, 0);
    let perm = this.permutations.get(epoch);
    if (perm === undefined) {
      perm = epochPermutation(this.train.n, this.seed, epoch, this.shuffle);
      this.permutations.set(epoch, perm);
      if (this.permutations.size > 2) this.permutations.delete(this.permutations.keys().next().value as number);
    }
    return perm;
  }

  /** Dataset indices of this rank's shard of global batch `batchInEpoch` of `epoch`. */
  trainShardIndices(epoch: number, batchInEpoch: number): Int32Array {
    requireInt('batchInEpoch', batchInEpoch, 0);
    if (batchInEpoch >= this.iterationsPerEpoch) {
      throw new DataError(
        `BatchLoader: batch ${batchInEpoch} is past the end of the epoch (${this.iterationsPerEpoch} batches of ` +
          `${this.globalBatchSize} from ${this.train.n} examples)`,
      );
    }
    const { start, end } = shardRange(this.globalExamples(batchInEpoch), this.rank, this.worldSize);
    const offset = batchInEpoch * this.globalBatchSize;
    return this.epochOrder(epoch).slice(offset + start, offset + end);
  }

  /** Examples in global batch `batchInEpoch` over all ranks: the batch size, or what the last partial one holds. */
  globalExamples(batchInEpoch: number): number {
    return batchExamples(this.train.n, this.globalBatchSize, batchInEpoch);
  }

  /**
   * This rank's shard of global batch `batchInEpoch` of `epoch`. Batches up to `prefetch` steps after it (into
   * the next epoch when this one ends) start assembling now; earlier or farther prefetched batches are dropped.
   */
  async trainBatch(epoch: number, batchInEpoch: number): Promise<Batch> {
    this.assertOpen();
    const indices = this.trainShardIndices(epoch, batchInEpoch);
    const step = epoch * this.iterationsPerEpoch + batchInEpoch;
    for (const key of this.pending.keys()) {
      // A dropped prefetch finishes on its own; its result (or error) is never used.
      if (key < step || key > step + this.prefetch) this.pending.delete(key);
    }
    const batch = this.pending.get(step) ?? this.submit('train', indices, epoch, this.augment);
    this.pending.delete(step);
    for (let ahead = step + 1; ahead <= step + this.prefetch; ahead++) {
      if (this.pending.has(ahead)) continue;
      const e = Math.floor(ahead / this.iterationsPerEpoch);
      const b = ahead % this.iterationsPerEpoch;
      const shard = this.trainShardIndices(e, b);
      // A batch assembled in place is assembled when asked for: prefetching it would only move the same work earlier.
      if (!this.inline(shard.length)) this.pending.set(ahead, this.submit('train', shard, e, this.augment));
    }
    return batch;
  }

  /** Dataset indices of this rank's shard of validation batch `batchIndex` of size `batchSize` (wrapping). */
  evalBatchIndices(batchIndex: number, batchSize: number): Int32Array {
    requireInt('batchIndex', batchIndex, 0);
    requireInt('batchSize', batchSize, 1);
    const { start, end } = shardRange(batchSize, this.rank, this.worldSize);
    const indices = new Int32Array(end - start);
    for (let j = start; j < end; j++) indices[j - start] = (batchIndex * batchSize + j) % this.val.n;
    return indices;
  }

  /** This rank's shard of validation batch `batchIndex` of size `batchSize`, wrapping around the split. */
  async evalBatch(batchIndex: number, batchSize: number): Promise<Batch> {
    this.assertOpen();
    return this.submit('val', this.evalBatchIndices(batchIndex, batchSize), 0, false);
  }

  /** The contiguous part [start, end) of the validation split this rank evaluates in evalShards. */
  evalShardRange(): { start: number; end: number } {
    return shardRange(this.val.n, this.rank, this.worldSize);
  }

  /**
   * This rank's part of the whole validation split (evalShardRange), in batches of at most `batchSize`, in order,
   * with `prefetch` batches assembling ahead. Over all ranks, every example is seen exactly once.
   */
  async *evalShards(batchSize: number): AsyncGenerator<Batch> {
    this.assertOpen();
    requireInt('batchSize', batchSize, 1);
    const { start, end } = this.evalShardRange();
    const queue: Promise<Batch>[] = [];
    let next = start;
    const fill = (): void => {
      while (next < end && queue.length <= this.prefetch) {
        const stop = Math.min(next + batchSize, end);
        const indices = new Int32Array(stop - next);
        for (let i = 0; i < indices.length; i++) indices[i] = next + i;
        queue.push(this.submit('val', indices, 0, false));
        next = stop;
      }
    };
    fill();
    while (queue.length > 0) {
      const batch = queue.shift() as Promise<Batch>;
      fill();
      yield await batch;
    }
  }

  /**
   * Stops the assembly threads once the batches already submitted (at most `prefetch` + 1 per stream, a few ms
   * each) have finished; their results are discarded. Waiting avoids two piscina 4.9 problems: destroy() under a
   * running task throws an uncaught 'Unexpected message from Worker', and close() leaves a closeTimeout timer
   * (30 s) holding the event loop. The loader cannot be used afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending.clear();
    await Promise.allSettled([...this.inflight]);
    await this.pool?.destroy();
    this.pool = undefined;
  }

  /** Whether a batch of `count` examples is assembled on the calling thread (see inlineMaxValues). */
  private inline(count: number): boolean {
    const { height, width, channels } = this.train;
    return count * height * width * channels <= this.inlineMaxValues;
  }

  private startPool(): Piscina<AssemblyTask, AssembledBatch> {
    this.pool ??= new Piscina<AssemblyTask, AssembledBatch>({
      filename: TASK_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      workerData: this.workerData,
    });
    return this.pool;
  }

  /** Assembles `task` on this thread, as the assembly threads would. */
  private assembleHere(task: AssemblyTask): Promise<AssembledBatch> {
    try {
      return Promise.resolve(assembleTask(this.workerData, task, this.lut));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private submit(split: SplitKey, indices: Int32Array, epoch: number, augment: boolean): Promise<Batch> {
    const { height, width, channels } = this.train;
    const task: AssemblyTask = { split, indices, epoch, augment };
    const run = this.inline(indices.length) ? this.assembleHere(task) : this.startPool().run(task);
    this.inflight.add(run);
    const forget = (): void => {
      this.inflight.delete(run);
    };
    run.then(forget, forget);
    const batch = run.then(
      (r): Batch => ({
        x: r.x,
        labels: r.labels,
        count: indices.length,
        shape: [indices.length, height, width, channels],
        indices,
      }),
      (err: unknown) => {
        throw new Error(
          `BatchLoader: assembling ${split} batch of epoch ${epoch} (rank ${this.rank}) failed: ${(err as Error).message}`,
          { cause: err },
        );
      },
    );
    // Prefetched batches may be dropped unawaited (or rejected by close()); whoever awaits one still sees its error.
    batch.catch(() => undefined);
    return batch;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('BatchLoader: used after close()');
  }
}
