import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, selectBackend } from '../../src/worker/index.js';

test('asking for a native backend that is not installed says why and how to install it', async () => {
  let native = true;
  try {
    await import('@tensorflow/tfjs-node' as string);
  } catch {
    native = false;
  }
  if (native) return; // installed here: nothing to check about its absence
  await assert.rejects(selectBackend('tensorflow'), (e: Error) => {
    assert.ok(e instanceof BackendUnavailableError);
    assert.match(e.message, /backend 'tensorflow' cannot load/);
    assert.match(e.message, /npm install @tensorflow\/tfjs-node@4\.22\.0/);
    return true;
  });
});

test('auto takes the first that loads and names what it skipped', async () => {
  const r = await selectBackend('auto');
  assert.equal(tf.getBackend(), r.backend === 'tensorflow-gpu' ? 'tensorflow' : r.backend);
  if (r.backend === 'wasm') {
    // Here: no native package, and webgpu only on a software adapter (or none), which auto passes over.
    assert.equal(r.skipped.length, 3);
    assert.match(r.skipped[0], /backend 'tensorflow-gpu' cannot load/);
    assert.match(r.skipped[1], /backend 'webgpu' cannot load: .*(software adapter|no adapter)/);
    assert.match(r.skipped[2], /backend 'tensorflow' cannot load/);
  }
});
