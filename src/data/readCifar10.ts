import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataError } from './DataError.js';
import type { DatasetSplit, DatasetSplits } from './DatasetSplit.js';
import { readBytes } from './readBytes.js';
import { checkLabels } from './checkLabels.js';

const CIFAR10_SIZE = 32;
const CIFAR10_CHANNELS = 3;
const CIFAR10_CLASSES = 10;
/** One record: a label byte, then 1024 red, 1024 green and 1024 blue bytes (CHW, rows top to bottom). */
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_CHANNELS * CIFAR10_SIZE * CIFAR10_SIZE;
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';

/** One decoded CIFAR-10 binary batch: NHWC pixels and labels. */
interface Cifar10Batch {
  readonly n: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** Decodes the bytes of a CIFAR-10 binary batch file (`file` names it in errors), converting CHW to HWC. */
function decodeCifar10Batch(bytes: Uint8Array, file: string): Cifar10Batch {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new DataError(
      `${file}: truncated or not a CIFAR-10 binary batch: ${bytes.length} bytes is not a whole, non-zero number ` +
        `of ${CIFAR10_RECORD_BYTES}-byte records`,
      { file },
    );
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const plane = CIFAR10_SIZE * CIFAR10_SIZE;
  const pixels = new Uint8Array(n * plane * CIFAR10_CHANNELS);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const record = i * CIFAR10_RECORD_BYTES;
    labels[i] = bytes[record];
    const out = i * plane * CIFAR10_CHANNELS;
    for (let c = 0; c < CIFAR10_CHANNELS; c++) {
      const src = record + 1 + c * plane;
      for (let p = 0; p < plane; p++) pixels[out + p * CIFAR10_CHANNELS + c] = bytes[src + p];
    }
  }
  checkLabels(labels, file, CIFAR10_CLASSES);
  return { n, pixels, labels };
}

/** Reads CIFAR-10 binary batches and joins them into one split (pixels in a SharedArrayBuffer). */
async function readCifar10Split(files: string[], name: string): Promise<DatasetSplit> {
  const batches = await Promise.all(files.map(async (f) => decodeCifar10Batch(await readBytes(f), f)));
  const n = batches.reduce((sum, b) => sum + b.n, 0);
  const pixels = new Uint8Array(new SharedArrayBuffer(batches.reduce((sum, b) => sum + b.pixels.length, 0)));
  const labels = new Uint8Array(n);
  let offset = 0;
  let count = 0;
  for (const b of batches) {
    pixels.set(b.pixels, offset);
    labels.set(b.labels, count);
    offset += b.pixels.length;
    count += b.n;
  }
  return {
    name,
    pixels,
    labels,
    n,
    height: CIFAR10_SIZE,
    width: CIFAR10_SIZE,
    channels: CIFAR10_CHANNELS,
    numClasses: CIFAR10_CLASSES,
  };
}

/**
 * Reads the CIFAR-10 binary version from `dir` (data_batch_1..5.bin for training, test_batch.bin for test).
 * A `cifar-10-batches-bin/` subfolder, as the official tarball extracts, is accepted too.
 */
export async function readCifar10(dir: string): Promise<DatasetSplits> {
  const nested = path.join(dir, 'cifar-10-batches-bin');
  const root =
    !existsSync(path.join(dir, CIFAR10_TEST_FILE)) && existsSync(path.join(nested, CIFAR10_TEST_FILE)) ? nested : dir;
  const wanted = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  const missing = wanted.filter((f) => !existsSync(path.join(root, f)));
  if (missing.length > 0) {
    throw new DataError(
      `${root}: not a CIFAR-10 binary directory: missing ${missing.join(', ')} ` +
        `(expected ${wanted.join(', ')}, from cifar-10-binary.tar.gz)`,
      { file: root },
    );
  }
  const [train, test] = await Promise.all([
    readCifar10Split(
      CIFAR10_TRAIN_FILES.map((f) => path.join(root, f)),
      'cifar10/train',
    ),
    readCifar10Split([path.join(root, CIFAR10_TEST_FILE)], 'cifar10/test'),
  ]);
  return { name: 'cifar10', source: root, train, test };
}
