/**
 * The local workers' V8 heap setting (src/coordinator/launch/workerV8Flags.ts) reaches the worker threads made after
 * it is applied: a thread that keeps ~60 MB of small objects runs no full (mark-compact) GC with it, and at least one
 * without it. Process workers get the same flags on their command line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { applyWorkerV8Flags, WORKER_V8_FLAGS } from '../../src/coordinator/launch/index.js';

/** Counts the full GCs of a new worker thread while it builds and keeps ~60 MB of small arrays. */
const KEEP_60MB = `
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { parentPort } = require('node:worker_threads');
let majors = 0;
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
});
observer.observe({ entryTypes: ['gc'] });
const kept = [];
for (let i = 0; i < 60 * 1024; i++) kept.push(new Array(128).fill(i));
setTimeout(() => { observer.disconnect(); parentPort.postMessage({ majors, kept: kept.length }); }, 50);
`;

function fullGcsOfNewThread(): Promise<{ majors: number; kept: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(KEEP_60MB, { eval: true });
    w.once('message', (m: { majors: number; kept: number }) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

test('worker threads made after applyWorkerV8Flags start with a 128 MB old generation', async () => {
  const before = await fullGcsOfNewThread();
  assert.equal(before.kept, 60 * 1024);
  assert.ok(before.majors >= 1, `V8's default sizing ran ${before.majors} full GCs: this test would not see the flag`);
  applyWorkerV8Flags();
  const after = await fullGcsOfNewThread();
  assert.equal(after.majors, 0, `with ${WORKER_V8_FLAGS.join(' ')} a worker thread ran ${after.majors} full GCs`);
});
