import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataError } from './DataError.js';
import type { DatasetSplits } from './DatasetSplit.js';
import { readIdxSplit } from './readIdxSplit.js';

/** The four MNIST-style files, by their canonical names (without `.gz`). */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Finds `base` in dir, gzipped or raw, also under the `train-images.idx3-ubyte` spelling some mirrors use. */
function findIdxFile(dir: string, base: string): string | undefined {
  const dotted = base.replace(/-(idx\d)/, '.$1');
  for (const name of [base, `${base}.gz`, dotted, `${dotted}.gz`]) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Reads an MNIST-style directory: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
 * t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]. The test images must have the training images' size.
 * The class count is `numClasses` when given, else the largest training label + 1.
 */
export async function readIdxDir(dir: string, name: string, numClasses?: number): Promise<DatasetSplits> {
  const found = Object.fromEntries(
    Object.entries(IDX_FILES).map(([key, base]) => [key, findIdxFile(dir, base)]),
  ) as Record<keyof typeof IDX_FILES, string | undefined>;
  const missing = (Object.keys(IDX_FILES) as (keyof typeof IDX_FILES)[]).filter((k) => found[k] === undefined);
  if (missing.length > 0) {
    throw new DataError(
      `${dir}: not an IDX dataset directory: missing ${missing.map((k) => `${IDX_FILES[k]}[.gz]`).join(', ')}`,
      { file: dir },
    );
  }
  const files = found as Record<keyof typeof IDX_FILES, string>;
  const train = await readIdxSplit(files.trainImages, files.trainLabels, `${name}/train`, numClasses);
  const test = await readIdxSplit(files.testImages, files.testLabels, `${name}/test`, train.numClasses);
  if (test.height !== train.height || test.width !== train.width) {
    throw new DataError(
      `${files.testImages}: ${test.height}×${test.width} images, but ${files.trainImages} has ` +
        `${train.height}×${train.width}`,
      { file: files.testImages },
    );
  }
  return { name, source: dir, train, test };
}
