import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { layoutDifference } from '../../src/shared/tensorLayout/index.js';
import {
  CheckpointError,
  CheckpointStore,
  DEFAULT_CHECKPOINT_FOR_TEST,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeWithMeta,
  metaOf,
} from './checkpointFixture.js';

test('a checkpoint round-trips; a flipped byte is refused naming the file and the sha256 mismatch; keep K removes the oldest', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sc-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new CheckpointStore(dir, 2);
  const files = [4, 8, 12].map((n) => store.write(DEFAULT_CHECKPOINT_FOR_TEST(n)));
  assert.deepEqual(store.files(), files.slice(1));
  const back = CheckpointStore.read(files[2]);
  assert.deepEqual(back, DEFAULT_CHECKPOINT_FOR_TEST(12));
  const bytes = readFileSync(files[2]);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(files[2], bytes);
  assert.throws(
    () => CheckpointStore.read(files[2]),
    (e: unknown) =>
      e instanceof CheckpointError && e.message.includes(files[2]) && /sha256 .* does not match/.test(e.message),
  );
  assert.equal(store.latest().checkpoint.loop.nextIteration, 8);
  writeFileSync(files[1], 'not a checkpoint');
  assert.throws(
    () => store.latest(),
    /no usable checkpoint: .*step-000000012.*corrupt.*step-000000008.*no header line/,
  );
});

test('the header names each tensor with its shape and offset; a format-1 file reads with empty layouts; others are refused', () => {
  const c = DEFAULT_CHECKPOINT_FOR_TEST(3);
  const meta = metaOf(encodeCheckpoint(c));
  assert.equal(meta.version, 2);
  assert.deepEqual(meta.tensors, {
    weights: [
      { name: 'dense1/kernel', shape: [8, 5], offset: 0 },
      { name: 'dense1/bias', shape: [10], offset: 40 },
    ],
    buffers: [
      { name: 'bn/moving_mean', shape: [3], offset: 0 },
      { name: 'bn/moving_variance', shape: [3], offset: 3 },
    ],
  });
  const old = decodeCheckpoint(encodeWithMeta(c, { version: 1 }));
  assert.deepEqual(old, { ...c, state: { ...c.state, weightTensors: [], bufferTensors: [] } });
  assert.throws(
    () => decodeCheckpoint(encodeWithMeta(c, { version: 7 })),
    /format version 7 is not supported \(this build reads 1 and 2\)/,
  );
  assert.throws(() => decodeCheckpoint(encodeWithMeta(c, { version: 2 })), /format version 2 without its tensors list/);
  const tensors = meta.tensors as { weights: { offset: number }[]; buffers: unknown[] };
  tensors.weights[1].offset = 39;
  assert.throws(
    () => decodeCheckpoint(encodeWithMeta(c, { version: 2, tensors })),
    /puts weight tensor dense1\/bias at offset 39, its shapes at 40/,
  );
  tensors.weights[1].offset = 40;
  tensors.buffers.pop();
  assert.throws(
    () => decodeCheckpoint(encodeWithMeta(c, { version: 2, tensors })),
    /buffer tensors hold 3 values, the buffer array 6/,
  );
});

test('layoutDifference names the first tensor that differs and those only one side has', () => {
  const own = [
    { name: 'a/kernel', shape: [4, 2] },
    { name: 'a/bias', shape: [2] },
    { name: 'b/kernel', shape: [2, 3] },
  ];
  assert.equal(layoutDifference('weight', own, own), undefined);
  assert.equal(
    layoutDifference('weight', [own[1], own[0], own[2]], own),
    'weight tensor 0 is a/bias [2] in the state, a/kernel [4,2] in this model; the same tensors in another order or shape',
  );
  assert.equal(
    layoutDifference('weight', [own[0], own[1], { name: 'b/kernel', shape: [3, 2] }], own),
    'weight tensor 2 is b/kernel [3,2] in the state, b/kernel [2,3] in this model; the same tensors in another order or shape',
  );
  assert.equal(
    layoutDifference('weight', own.slice(0, 2), own),
    'weight tensor 2 is absent in the state, b/kernel [2,3] in this model; only in this model: b/kernel',
  );
  assert.equal(
    layoutDifference('buffer', [...own, { name: 'c/bias', shape: [1] }], own),
    'buffer tensor 3 is c/bias [1] in the state, absent in this model; only in the state: c/bias',
  );
});
