import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fit, type FitCallback } from '../../src/coordinator/index.js';
import { lrFind } from '../../src/index.js';
import type { FitConfig } from '../../src/shared/config/index.js';
import { quietLogger, savedWeights, tempRunDir } from '../distributed/helpers.js';
import { relL2, webgpuSkipReason } from './webgpuAvailable.js';

// The mlp keeps these fast on a software adapter; the layers webgpu runs are checked one step at a time by
// stepEquivalence.test.ts. Same float32 tolerance as there.
const TOL = 1e-4;
const RUN: Partial<FitConfig> = {
  model: 'mlp',
  data: 'sample',
  backend: 'webgpu',
  batchSize: 32,
  lr: 0.2,
  schedule: 'one-cycle',
  augment: false,
  seed: 4,
};

test('webgpu: 2 workers (processes) keep equal replica checksums and end within 1e-4 of 1 worker on the same global batch', async (t) => {
  const why = await webgpuSkipReason();
  if (why) return t.skip(why);
  const root = tempRunDir(t, 'sc-webgpu-');
  const one = await fit(
    { ...RUN, iterations: 6, workers: 1, out: path.join(root, 'w1') },
    { logger: quietLogger(), plots: false },
  );
  // checksumEvery 2: the coordinator compares the replicas' digests every 2 steps and at the end (a mismatch throws).
  const two = await fit(
    { ...RUN, iterations: 6, workers: 2, checksumEvery: 2, out: path.join(root, 'w2') },
    { logger: quietLogger(), plots: false },
  );
  assert.equal(two.backend, 'webgpu');
  assert.equal(two.config.spawn, 'process');
  assert.equal(two.adapters?.length, 2, 'each rank reports its adapter');
  const rel = relL2(savedWeights(two.runDir), savedWeights(one.runDir));
  t.diagnostic(`2 workers vs 1: weights differ by ${rel.toExponential(2)} (relative L2)`);
  assert.ok(rel <= TOL, `2 workers' weights differ from 1 worker's by ${rel}`);
  assert.ok(Math.abs(two.valLoss - one.valLoss) <= TOL * one.valLoss, `val loss ${two.valLoss} vs ${one.valLoss}`);
  const summary = JSON.parse(readFileSync(path.join(two.runDir, 'summary.json'), 'utf8')) as {
    backend: string;
    adapters: { api: string; software: boolean }[];
  };
  assert.equal(summary.backend, 'webgpu');
  assert.equal(summary.adapters.length, 2);
});

test('webgpu: lr_find puts the weights, momentum and BatchNorm statistics back exactly', async (t) => {
  const why = await webgpuSkipReason();
  if (why) return t.skip(why);
  const out = tempRunDir(t, 'sc-webgpu-lrfind-');
  // lrFind compares the replicas' digests before and after and throws if any differ; cnn has BatchNorm statistics.
  const r = await lrFind(
    { ...RUN, model: 'cnn', batchSize: 16, out },
    { startLr: 1e-3, endLr: 1, numIt: 4, wds: [1e-4], stopDiv: false },
    { logger: quietLogger(), plots: false },
  );
  assert.equal(r.records.length, 4);
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
    backend: string;
    adapters: unknown[];
  };
  assert.equal(summary.backend, 'webgpu');
  assert.equal(summary.adapters.length, 1);
});

test('webgpu: a run checkpointed, stopped at step 3 and resumed ends with the same weights, bit for bit, as an uninterrupted run', async (t) => {
  const why = await webgpuSkipReason();
  if (why) return t.skip(why);
  const root = tempRunDir(t, 'sc-webgpu-resume-');
  const run = { ...RUN, iterations: 6, checkpointEvery: 2 };
  const whole = await fit({ ...run, out: path.join(root, 'whole') }, { logger: quietLogger(), plots: false });
  const stopAt3: FitCallback = {
    afterStep(ctx, rec) {
      if (rec.iteration === 3) ctx.stop('test stop after step 3');
    },
  };
  const stopped = await fit(
    { ...run, out: path.join(root, 'resumed') },
    { logger: quietLogger(), plots: false, callbacks: [stopAt3] },
  );
  assert.equal(stopped.iterations, 4);
  const resumed = await fit({}, { logger: quietLogger(), plots: false, resume: path.join(root, 'resumed') });
  assert.equal(resumed.iterations, 6);
  assert.equal(resumed.backend, 'webgpu');
  // The same kernels on the same adapter in the same order: bitwise equal, as on the CPU backends.
  assert.deepEqual(savedWeights(resumed.runDir), savedWeights(whole.runDir), 'bitwise equal weights');
});
