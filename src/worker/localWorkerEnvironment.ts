import { ConfigError, type FitConfig } from '../shared/config/index.js';
import { BatchLoader, computeNormalization, loadDataset } from '../data/index.js';
import { InProcessCollective } from './allreduce/index.js';
import type { TrainingData } from './TrainingData.js';
import type { WorkerEnvironment } from './TrainingWorker.js';

/** Opens the run's dataset from this machine's disk and assembles this rank's shards on piscina threads. */
export async function openTrainingData(config: FitConfig, rank: number, worldSize: number): Promise<TrainingData> {
  const splits = await loadDataset(config.data);
  if (config.batchSize > splits.train.n) {
    throw new ConfigError(
      `--batch-size ${config.batchSize} is larger than the training split (${splits.train.n} examples of ${splits.train.name})`,
    );
  }
  const stats = computeNormalization(splits.train);
  const open = (r: number, n: number): BatchLoader =>
    new BatchLoader({
      train: splits.train,
      val: splits.test,
      stats,
      globalBatchSize: config.batchSize,
      rank: r,
      worldSize: n,
      seed: config.seed,
      augment: config.augment,
      shuffle: config.shuffle,
      padMode: config.padMode,
      dropLast: config.dropLast,
    });
  let loader = open(rank, worldSize);
  const { height, width, channels } = splits.train;
  return {
    trainExamples: splits.train.n,
    valExamples: splits.test.n,
    inputShape: [height, width, channels],
    numClasses: splits.train.numClasses,
    stats,
    trainBatchExamples: (b) => loader.globalExamples(b),
    trainBatch: (epoch, b) => loader.trainBatch(epoch, b),
    evalBatch: (index, size) => loader.evalBatch(index, size),
    evalSplit: (size) => loader.evalShards(Math.ceil(size / loader.worldSize)),
    reshard: async (r, n) => {
      // The dataset stays loaded; only the loader (which cuts the shards, and prefetches them) is replaced.
      const old = loader;
      loader = open(r, n);
      await old.close();
    },
    close: () => loader.close(),
  };
}

/** A worker in this process with its data from local disk; no ring (a world of one). */
export const localWorkerEnvironment: WorkerEnvironment = {
  openData: openTrainingData,
  openCollective: async (_rank, worldSize) => {
    if (worldSize !== 1)
      throw new Error('the local environment has no ring: use a ring-backed environment for several workers');
    return InProcessCollective.group(1)[0];
  },
};
