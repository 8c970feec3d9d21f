import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CheckpointError, CheckpointStore, DEFAULT_CHECKPOINT_FOR_TEST } from './checkpointFixture.js';

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
  assert.throws(() => CheckpointStore.read(files[2]), (e: unknown) =>
    e instanceof CheckpointError && e.message.includes(files[2]) && /sha256 .* does not match/.test(e.message));
  assert.equal(store.latest().checkpoint.loop.nextIteration, 8);
  writeFileSync(files[1], 'not a checkpoint');
  assert.throws(() => store.latest(), /no usable checkpoint: .*step-000000012.*corrupt.*step-000000008.*no header line/);
});
