import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  FASHION_MNIST_DIR,
  loadDataset,
  mixSeed,
  readIdxDir,
  SAMPLE_RECIPE,
  sampleDir,
  selectExamples,
  stratifiedSample,
} from '../../src/data/index.js';

function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

test('--data sample (the default) is 6,000 train / 1,000 test Fashion-MNIST images, 600 / 100 per class', async () => {
  const data = await loadDataset('sample');
  assert.equal(data.name, 'fashion-mnist-sample');
  for (const [split, n, perClass] of [
    [data.train, 6000, 600],
    [data.test, 1000, 100],
  ] as const) {
    assert.deepEqual([split.n, split.height, split.width, split.channels, split.numClasses], [n, 28, 28, 1, 10]);
    assert.equal(split.pixels.length, n * 28 * 28);
    assert.deepEqual(classCounts(split.labels), new Array(10).fill(perClass));
  }
  // Real images, not blanks: Fashion-MNIST's background is black and objects cover a good part of the frame.
  const nonZero = data.train.pixels.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0) / data.train.pixels.length;
  assert.ok(nonZero > 0.3 && nonZero < 0.7, `fraction of non-zero pixels ${nonZero}`);
});

test('the sample README records provenance, license and the command that made it', () => {
  const readme = readFileSync(path.join(sampleDir(), 'README.md'), 'utf8');
  for (const fragment of [
    'Zalando Research',
    'dataset-fashion-mnist',
    'MIT',
    'node scripts/make-sample.mjs',
    `--seed ${SAMPLE_RECIPE.seed}`,
  ]) {
    assert.ok(readme.includes(fragment), `README lacks ${fragment}`);
  }
});

test('stratifiedSample draws perClass distinct examples of each class, ascending, the same for the same seed', () => {
  const labels = Uint8Array.from({ length: 500 }, (_, i) => (i * 7) % 5);
  const a = stratifiedSample(labels, 5, 30, 42);
  assert.equal(a.length, 150);
  assert.equal(new Set(a).size, 150);
  assert.deepEqual(
    [...a],
    [...a].sort((x, y) => x - y),
  );
  const counts = new Array<number>(5).fill(0);
  for (const i of a) counts[labels[i]]++;
  assert.deepEqual(counts, [30, 30, 30, 30, 30]);
  assert.deepEqual(stratifiedSample(labels, 5, 30, 42), a);
  assert.notDeepEqual(stratifiedSample(labels, 5, 30, 43), a);
  assert.throws(() => stratifiedSample(labels, 5, 101, 42), /class 0 has 100 examples, 101 wanted/);
});

// Checks the committed files against the recipe and Debian's full dataset; needs that package installed.
test('the committed sample is exactly the recipe applied to the full Fashion-MNIST', {
  skip: existsSync(FASHION_MNIST_DIR) ? false : `${FASHION_MNIST_DIR} absent (apt-get install dataset-fashion-mnist)`,
}, async () => {
  const [full, sample] = await Promise.all([readIdxDir(FASHION_MNIST_DIR, 'fashion-mnist', 10), loadDataset('sample')]);
  const draws = [
    [full.train, sample.train, SAMPLE_RECIPE.trainPerClass, SAMPLE_RECIPE.trainSalt],
    [full.test, sample.test, SAMPLE_RECIPE.testPerClass, SAMPLE_RECIPE.testSalt],
  ] as const;
  for (const [source, committed, perClass, salt] of draws) {
    const indices = stratifiedSample(source.labels, 10, perClass, mixSeed(SAMPLE_RECIPE.seed, salt));
    const expected = selectExamples(source, indices, committed.name);
    assert.ok(Buffer.from(expected.pixels).equals(Buffer.from(committed.pixels)), `${committed.name} pixels differ`);
    assert.deepEqual(expected.labels, committed.labels);
  }
});
