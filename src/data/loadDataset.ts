import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULT_DATA_SPEC, parseDataSpec } from '../shared/config/index.js';
import { DataError } from './DataError.js';
import type { DatasetSplits } from './DatasetSplit.js';
import { readIdxDir } from './readIdxDir.js';
import { readCifar10 } from './readCifar10.js';

/** Where Debian's dataset-fashion-mnist package installs the full Fashion-MNIST. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
const FASHION_MNIST_CLASSES = 10;

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * data/fashion-mnist-sample at the package root (2 levels above src/data, 3 above dist/src/data).
 */
export function sampleDir(): string {
  const candidates = ['../..', '../../..'].map((up) => path.resolve(here, up, 'data', 'fashion-mnist-sample'));
  const found = candidates.find((dir) => existsSync(path.join(dir, 'README.md')));
  if (!found) {
    throw new DataError(
      `the shipped sample data/fashion-mnist-sample was not found (looked at ${candidates.join(', ')})`,
    );
  }
  return found;
}

interface LoadDatasetOptions {
  /** Where `fashion-mnist` is read from; default FASHION_MNIST_DIR. */
  readonly fashionMnistDir?: string;
}

/**
 * Loads the dataset a `--data` value names:
 *  - `sample` (the default): the stratified Fashion-MNIST sample shipped in data/fashion-mnist-sample
 *    (6,000 train / 1,000 test);
 *  - `fashion-mnist`: the full set from /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist);
 *  - `idx:DIR`: MNIST-style IDX files in DIR (train-/t10k- images-idx3-ubyte and labels-idx1-ubyte, .gz or raw);
 *  - `cifar10:DIR`: CIFAR-10 binary batches in DIR (data_batch_1..5.bin, test_batch.bin).
 * Every failure is a DataError whose message names the file or spec and the problem.
 */
export async function loadDataset(
  spec: string = DEFAULT_DATA_SPEC,
  options: LoadDatasetOptions = {},
): Promise<DatasetSplits> {
  const parsed = dataSpec(spec);
  const fashionDir = options.fashionMnistDir ?? FASHION_MNIST_DIR;
  switch (parsed.kind) {
    case 'sample':
      return readIdxDir(sampleDir(), 'fashion-mnist-sample', FASHION_MNIST_CLASSES);
    case 'fashion-mnist':
      if (!existsSync(fashionDir)) {
        throw new DataError(
          `--data fashion-mnist: ${fashionDir} not found; install it with ` +
            '`apt-get install dataset-fashion-mnist` (or use --data sample, or --data idx:DIR)',
          { file: fashionDir },
        );
      }
      return readIdxDir(fashionDir, 'fashion-mnist', FASHION_MNIST_CLASSES);
    case 'idx':
      if (!existsSync(parsed.dir))
        throw new DataError(`--data idx:${parsed.dir}: directory not found`, { file: parsed.dir });
      return readIdxDir(parsed.dir, 'idx');
    case 'cifar10':
      if (!existsSync(parsed.dir)) {
        throw new DataError(`--data cifar10:${parsed.dir}: directory not found`, { file: parsed.dir });
      }
      return readCifar10(parsed.dir);
  }
}

/** The `--data` value parsed (its grammar is the setting's, in shared/config); a bad one is this layer's DataError. */
function dataSpec(spec: string): ReturnType<typeof parseDataSpec> {
  try {
    return parseDataSpec(spec);
  } catch (e) {
    if (e instanceof ConfigError) throw new DataError(e.message);
    throw e;
  }
}
