import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { fit, type FitCallback, type FitSummary } from '../../src/coordinator/index.js';
import type { StepRecord } from '../../src/reporting/index.js';
import type { FitConfig } from '../../src/shared/config/index.js';
import { quietLogger, savedWeights, tempRunDir } from '../distributed/helpers.js';

const RUN: Partial<FitConfig> = {
  model: 'mlp',
  data: 'sample',
  backend: 'cpu',
  batchSize: 64,
  iterations: 30,
  lr: 0.3,
  augment: false,
  seed: 11,
  checkpointEvery: 5,
  keepCheckpoints: 3,
};

function stopAt(iteration: number): FitCallback {
  return {
    afterStep(ctx, rec) {
      if (rec.iteration === iteration) ctx.stop(`test stop after step ${iteration}`);
    },
  };
}

function metrics(runDir: string): StepRecord[] {
  return readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as StepRecord);
}

/** A logger whose warnings land in `lines`. */
function capturingLogger(lines: string[]) {
  return pino(
    { level: 'warn', base: undefined },
    new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
}

async function interruptedThenResumed(
  out: string,
  extra: Partial<FitConfig>,
  corruptNewest: boolean,
  warnings: string[],
): Promise<FitSummary> {
  const stopped = await fit(
    { ...RUN, ...extra, out },
    { logger: quietLogger(), plots: false, callbacks: [stopAt(16)] },
  );
  assert.equal(stopped.iterations, 17);
  assert.match(stopped.stoppedEarly ?? '', /test stop/);
  // Checkpoints after steps 10 and 15 (every 5), and at the stop (17); the oldest (5) is gone with keep 3.
  assert.deepEqual(readdirSync(path.join(out, 'checkpoints')), [
    'step-000000010.ckpt',
    'step-000000015.ckpt',
    'step-000000017.ckpt',
  ]);
  if (corruptNewest) truncateSync(path.join(out, 'checkpoints', 'step-000000017.ckpt'), 1000);
  return fit(extra.workers ? { workers: extra.workers } : {}, {
    logger: capturingLogger(warnings),
    plots: false,
    resume: out,
  });
}

test('a run stopped at step 17 and resumed ends with the same weights, records and summary as an uninterrupted one', async (t) => {
  const root = tempRunDir(t, 'sc-resume-');
  const whole = await fit({ ...RUN, out: path.join(root, 'whole') }, { logger: quietLogger(), plots: false });
  const warnings: string[] = [];
  const resumed = await interruptedThenResumed(path.join(root, 'resumed'), {}, false, warnings);
  assert.deepEqual(warnings, []);
  assert.equal(resumed.iterations, 30);
  assert.equal(resumed.runDir, path.join(root, 'resumed'));
  assert.deepEqual(savedWeights(resumed.runDir), savedWeights(whole.runDir), 'bitwise equal weights');
  const a = metrics(whole.runDir);
  const b = metrics(resumed.runDir);
  assert.deepEqual(
    b.map((r) => r.iteration),
    Array.from({ length: 30 }, (_, i) => i),
    'one record per step, in order, none twice',
  );
  assert.deepEqual(
    b.map((r) => [r.loss, r.smoothLoss, r.lr, r.momentum]),
    a.map((r) => [r.loss, r.smoothLoss, r.lr, r.momentum]),
  );
  assert.equal(resumed.valLoss, whole.valLoss);
  const saved = JSON.parse(readFileSync(path.join(resumed.runDir, 'summary.json'), 'utf8')) as { iterations: number };
  assert.equal(saved.iterations, 30);
});

test('a truncated newest checkpoint is refused by name and the one before is used; 2 workers resume bit for bit', async (t) => {
  const root = tempRunDir(t, 'sc-resume-');
  const extra: Partial<FitConfig> = { workers: 2, spawn: 'thread' };
  const whole = await fit({ ...RUN, ...extra, out: path.join(root, 'whole') }, { logger: quietLogger(), plots: false });
  const warnings: string[] = [];
  const resumed = await interruptedThenResumed(path.join(root, 'resumed'), extra, true, warnings);
  assert.equal(warnings.length, 1, warnings.join(''));
  assert.match(warnings[0], /step-000000017\.ckpt/);
  assert.match(warnings[0], /truncated/);
  assert.deepEqual(
    savedWeights(resumed.runDir),
    savedWeights(whole.runDir),
    'bitwise equal weights after resuming from step 15',
  );
  assert.deepEqual(
    metrics(resumed.runDir).map((r) => r.loss),
    metrics(whole.runDir).map((r) => r.loss),
  );
});
