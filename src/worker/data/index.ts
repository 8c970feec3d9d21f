/** Public API of the worker's data assembly: BatchLoader and the pure pieces it is built from. */
export { BatchLoader, type Batch, type BatchLoaderOptions } from './BatchLoader.js';
export { assembleBatch, normalizationTable, type AssemblySource, type AssemblyOptions } from './assembleBatch.js';
export { epochPermutation } from './epochPermutation.js';
export { exampleAugmentation, AUGMENT_PAD, NO_AUGMENTATION, type Augmentation } from './exampleAugmentation.js';
