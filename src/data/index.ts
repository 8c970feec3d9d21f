/**
 * Public API of the data module: the datasets (readers, the `--data` spec, splits, normalisation statistics,
 * sampling, sharding), pure and used by both sides, and the worker's batches (BatchLoader, which assembles them on
 * piscina threads from assembleBatchTask.ts, or in place when they are small, and the pure pieces it is built
 * from). Nothing here loads tfjs.
 */
export { DataError } from './DataError.js';
export type { DatasetSplit, DatasetSplits } from './DatasetSplit.js';
export type { NormalizationStats } from './NormalizationStats.js';
export {
  loadDataset,
  sampleDir,
  FASHION_MNIST_DIR,
} from './loadDataset.js';
export { readIdxDir, IDX_FILES } from './readIdxDir.js';
export { readIdxSplit } from './readIdxSplit.js';
export { decodeIdx, encodeIdx } from './IdxArray.js';
export { readBytes } from './readBytes.js';
export {
  readCifar10,
  CIFAR10_RECORD_BYTES,
  CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILE,
} from './readCifar10.js';
export { computeNormalization } from './computeNormalization.js';
export { SeededRng, mixSeed } from './SeededRng.js';
export { stratifiedSample } from './stratifiedSample.js';
export { selectExamples } from './selectExamples.js';
export { SAMPLE_RECIPE } from './sampleRecipe.js';
export { shardRange } from './shardRange.js';
export { toSharedBytes } from './toSharedBytes.js';
export { BatchLoader, INLINE_ASSEMBLY_MAX_VALUES, type Batch, type BatchLoaderOptions } from './BatchLoader.js';
export { assembleBatch, normalizationTable, type AssemblySource, type AssemblyOptions } from './assembleBatch.js';
export { epochPermutation } from './epochPermutation.js';
export { exampleAugmentation, AUGMENT_PAD } from './exampleAugmentation.js';
