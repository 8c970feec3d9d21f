import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  CIFAR10_RECORD_BYTES,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  DataError,
  encodeIdx,
  loadDataset,
  readIdxSplit,
} from '../../src/data/index.js';
import { DATA_SPEC_FORMS, parseDataSpec } from '../../src/shared/config/index.js';
import { patternPixels, tempDir, writeIdx, writeIdxDataset } from './fixtures.js';

/** Asserts `promise` rejects with a DataError whose message contains every fragment. */
async function rejectsWith(promise: Promise<unknown>, ...fragments: string[]): Promise<DataError> {
  const err = await promise.then(
    () => assert.fail(`expected a DataError mentioning ${fragments.join(' / ')}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
  for (const f of fragments) assert.ok(err.message.includes(f), `message ${JSON.stringify(err.message)} lacks ${f}`);
  return err;
}

for (const gzip of [true, false]) {
  test(`idx:DIR reads ${gzip ? 'gzipped' : 'raw'} IDX files with their pixels, labels and dimensions`, async (t) => {
    const dir = tempDir(t);
    writeIdxDataset(dir, { nTrain: 12, nTest: 5, height: 4, width: 3, classes: 4, gzip });
    const data = await loadDataset(`idx:${dir}`);
    assert.equal(data.name, 'idx');
    assert.deepEqual(
      [data.train.n, data.train.height, data.train.width, data.train.channels, data.train.numClasses],
      [12, 4, 3, 1, 4],
    );
    assert.equal(data.test.n, 5);
    assert.deepEqual([...data.train.pixels], [...patternPixels(12, 12)]);
    assert.deepEqual([...data.test.labels], [0, 1, 2, 3, 0]);
    assert.ok(data.train.pixels.buffer instanceof SharedArrayBuffer);
  });
}

test('an IDX file with a bad magic number is a DataError naming the file', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 4, nTest: 2, height: 2, width: 2, classes: 2, gzip: false });
  const images = path.join(dir, 'train-images-idx3-ubyte');
  const bytes = readFileSync(images);
  bytes[2] = 0x0d; // float type instead of unsigned byte
  writeFileSync(images, bytes);
  await rejectsWith(loadDataset(`idx:${dir}`), images, 'bad IDX magic 0x00000d03', 'expected 0x00000803');
});

test('a labels file passed as images is rejected for its dimension count', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 4, nTest: 2, height: 2, width: 2, classes: 2, gzip: false });
  const labels = path.join(dir, 'train-labels-idx1-ubyte');
  await rejectsWith(readIdxSplit(labels, labels, 'x'), labels, 'bad IDX magic 0x00000801', '3 dimensions');
});

test('a truncated IDX file (raw or inside gzip) is a DataError giving the expected and actual sizes', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 4, nTest: 2, height: 2, width: 2, classes: 2, gzip: false });
  const images = path.join(dir, 'train-images-idx3-ubyte');
  writeFileSync(images, readFileSync(images).subarray(0, 16 + 10));
  await rejectsWith(loadDataset(`idx:${dir}`), images, 'truncated', '4×2×2 = 16 data bytes, file has 10');

  const gzDir = tempDir(t);
  writeIdxDataset(gzDir, { nTrain: 4, nTest: 2, height: 2, width: 2, classes: 2, gzip: true });
  const gzImages = path.join(gzDir, 't10k-images-idx3-ubyte.gz');
  writeFileSync(gzImages, gzipSync(encodeIdx([2, 2, 2], new Uint8Array(8)).subarray(0, 12)));
  await rejectsWith(loadDataset(`idx:${gzDir}`), gzImages, 'truncated', 'the IDX header needs 16');
});

test('a cut-off gzip stream and trailing bytes are DataErrors naming the file', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 4, nTest: 2, height: 2, width: 2, classes: 2, gzip: true });
  const labels = path.join(dir, 'train-labels-idx1-ubyte.gz');
  const gz = readFileSync(labels);
  writeFileSync(labels, gz.subarray(0, gz.length - 6));
  await rejectsWith(loadDataset(`idx:${dir}`), labels, 'corrupt gzip data');

  writeIdx(labels, [4], new Uint8Array(4), true);
  const images = path.join(dir, 'train-images-idx3-ubyte.gz');
  writeFileSync(images, gzipSync(Buffer.concat([encodeIdx([4, 2, 2], new Uint8Array(16)), Buffer.from([1, 2, 3])])));
  await rejectsWith(loadDataset(`idx:${dir}`), images, '3 unexpected bytes after the 4×2×2 data');
});

test('a label count different from the image count is a DataError naming both files', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 6, nTest: 2, height: 2, width: 2, classes: 2, gzip: false });
  const labels = path.join(dir, 'train-labels-idx1-ubyte');
  writeIdx(labels, [5], new Uint8Array(5), false);
  await rejectsWith(loadDataset(`idx:${dir}`), labels, '5 labels', 'train-images-idx3-ubyte has 6 images');
});

test('test images of another size than the training images are a DataError', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 6, nTest: 2, height: 3, width: 3, classes: 2, gzip: false });
  const testImages = path.join(dir, 't10k-images-idx3-ubyte');
  writeIdx(testImages, [2, 4, 4], new Uint8Array(32), false);
  await rejectsWith(loadDataset(`idx:${dir}`), testImages, '4×4 images', 'has 3×3');
});

test('a test label outside the training classes, and missing files, are DataErrors', async (t) => {
  const dir = tempDir(t);
  writeIdxDataset(dir, { nTrain: 6, nTest: 2, height: 2, width: 2, classes: 3, gzip: false });
  const testLabels = path.join(dir, 't10k-labels-idx1-ubyte');
  writeIdx(testLabels, [2], Uint8Array.from([1, 7]), false);
  await rejectsWith(loadDataset(`idx:${dir}`), testLabels, 'label 7 at example 1 is out of range for 3 classes');

  const empty = tempDir(t);
  await rejectsWith(
    loadDataset(`idx:${empty}`),
    empty,
    'missing train-images-idx3-ubyte[.gz]',
    't10k-labels-idx1-ubyte[.gz]',
  );
  await rejectsWith(loadDataset(`idx:${path.join(empty, 'nope')}`), 'nope', 'directory not found');
});

/** A CIFAR-10 record for example `i`: label i mod 10, channel c at (y, x) = (i + 31c + 5y + x) mod 256. */
function cifarRecords(n: number, first: number): Uint8Array {
  const out = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  for (let k = 0; k < n; k++) {
    const i = first + k;
    const r = k * CIFAR10_RECORD_BYTES;
    out[r] = i % 10;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) out[r + 1 + c * 1024 + y * 32 + x] = (i + 31 * c + 5 * y + x) % 256;
    }
  }
  return out;
}

function writeCifar(dir: string, perBatch: number): void {
  CIFAR10_TRAIN_FILES.forEach((f, b) => writeFileSync(path.join(dir, f), cifarRecords(perBatch, b * perBatch)));
  writeFileSync(path.join(dir, CIFAR10_TEST_FILE), cifarRecords(perBatch, 1000));
}

test('cifar10:DIR joins the five training batches and converts CHW records to NHWC', async (t) => {
  const dir = tempDir(t);
  writeCifar(dir, 3);
  const data = await loadDataset(`cifar10:${dir}`);
  assert.deepEqual(
    [data.train.n, data.train.height, data.train.width, data.train.channels, data.train.numClasses, data.test.n],
    [15, 32, 32, 3, 10, 3],
  );
  assert.deepEqual(
    [...data.train.labels],
    Array.from({ length: 15 }, (_, i) => i % 10),
  );
  for (const [i, y, x, c] of [
    [0, 0, 0, 0],
    [7, 3, 30, 2],
    [14, 31, 31, 1],
    [9, 17, 0, 1],
  ]) {
    assert.equal(
      data.train.pixels[((i * 32 + y) * 32 + x) * 3 + c],
      (i + 31 * c + 5 * y + x) % 256,
      `pixel ${[i, y, x, c]}`,
    );
  }
  assert.equal(data.test.pixels[((2 * 32 + 4) * 32 + 5) * 3 + 2], (1002 + 62 + 20 + 5) % 256);
  // The official tarball's cifar-10-batches-bin/ subfolder is found from its parent.
  const parent = tempDir(t);
  mkdirSync(path.join(parent, 'cifar-10-batches-bin'));
  writeCifar(path.join(parent, 'cifar-10-batches-bin'), 1);
  assert.equal((await loadDataset(`cifar10:${parent}`)).train.n, 5);
});

test('corrupt CIFAR-10 batches are DataErrors naming the file', async (t) => {
  const dir = tempDir(t);
  writeCifar(dir, 2);
  const third = path.join(dir, CIFAR10_TRAIN_FILES[2]);
  writeFileSync(third, cifarRecords(2, 0).subarray(0, CIFAR10_RECORD_BYTES + 100));
  await rejectsWith(
    loadDataset(`cifar10:${dir}`),
    third,
    'truncated or not a CIFAR-10 binary batch',
    `${CIFAR10_RECORD_BYTES + 100} bytes`,
  );

  const records = cifarRecords(2, 0);
  records[CIFAR10_RECORD_BYTES] = 10;
  writeFileSync(third, records);
  await rejectsWith(loadDataset(`cifar10:${dir}`), third, 'label 10 at example 1 is out of range for 10 classes');

  const partial = tempDir(t);
  writeFileSync(path.join(partial, 'data_batch_1.bin'), cifarRecords(1, 0));
  await rejectsWith(loadDataset(`cifar10:${partial}`), partial, 'missing data_batch_2.bin', 'test_batch.bin');
});

test('--data specs: the four forms parse; anything else is a DataError listing them', async () => {
  assert.deepEqual(parseDataSpec('sample'), { kind: 'sample' });
  assert.deepEqual(parseDataSpec('fashion-mnist'), { kind: 'fashion-mnist' });
  assert.deepEqual(parseDataSpec('idx:/a/b'), { kind: 'idx', dir: '/a/b' });
  assert.deepEqual(parseDataSpec('cifar10:rel'), { kind: 'cifar10', dir: path.resolve('rel') });
  await rejectsWith(loadDataset('mnist'), '"mnist"', 'unknown dataset', DATA_SPEC_FORMS.join(', '));
  await rejectsWith(loadDataset('idx:'), 'missing directory after "idx:"');
});

test('--data fashion-mnist without the Debian package says how to install it', async (t) => {
  const absent = path.join(tempDir(t), 'fashion-mnist');
  await rejectsWith(
    loadDataset('fashion-mnist', { fashionMnistDir: absent }),
    absent,
    'apt-get install dataset-fashion-mnist',
  );
});
