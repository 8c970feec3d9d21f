import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { fit, type FitCallback } from '../../src/coordinator/index.js';
import type { FitConfig } from '../../src/shared/config/index.js';
import { quietLogger, tempRunDir } from '../distributed/helpers.js';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, encodeWithMeta } from './checkpointFixture.js';

const RUN: Partial<FitConfig> = {
  model: 'mlp',
  data: 'sample',
  backend: 'cpu',
  batchSize: 64,
  iterations: 10,
  lr: 0.3,
  augment: false,
  seed: 5,
  checkpointEvery: 5,
};
const stopAt6: FitCallback = {
  afterStep(ctx, rec) {
    if (rec.iteration === 6) ctx.stop('test stop after step 6');
  },
};

test('resuming refuses a checkpoint whose tensors are in another order, naming them; a format-1 checkpoint resumes with a warning', async (t) => {
  const out = tempRunDir(t, 'sc-ckpt-layout-');
  await fit({ ...RUN, out }, { logger: quietLogger(), plots: false, callbacks: [stopAt6] });
  const dir = path.join(out, 'checkpoints');
  const newest = path.join(dir, readdirSync(dir).sort().at(-1)!);
  const original = readFileSync(newest);
  const c = decodeCheckpoint(original);
  const [kernel, bias] = c.state.weightTensors;
  assert.match(kernel.name, /\/kernel$/);
  assert.equal(bias.name, kernel.name.replace(/kernel$/, 'bias'));
  assert.equal(
    c.state.weightTensors.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0) * 4,
    c.state.weights.byteLength,
  );

  // The same values, the header listing the first layer's bias before its kernel: a permutation is refused.
  const swapped = [bias, kernel, ...c.state.weightTensors.slice(2)];
  writeFileSync(newest, encodeCheckpoint({ ...c, state: { ...c.state, weightTensors: swapped } }));
  await assert.rejects(fit({}, { logger: quietLogger(), plots: false, resume: out }), (e: unknown) => {
    assert.ok(e instanceof CheckpointError, String(e));
    assert.ok(e.message.includes(newest), e.message);
    assert.match(
      e.message,
      new RegExp(
        `weight tensor 0 is ${bias.name} \\[${bias.shape}\\] in the state, ${kernel.name} \\[${kernel.shape.join(',')}\\] in this model`,
      ),
    );
    return true;
  });

  // The same checkpoint as the format-1 writer made it: it loads, by position, and says so.
  writeFileSync(newest, encodeWithMeta(c, { version: 1 }));
  const warnings: string[] = [];
  const logger = pino(
    { level: 'warn', base: undefined },
    new Writable({
      write(chunk: Buffer, _e, done) {
        warnings.push(chunk.toString());
        done();
      },
    }),
  );
  const resumed = await fit({}, { logger, plots: false, resume: out });
  assert.equal(resumed.iterations, 10);
  assert.equal(warnings.length, 1, warnings.join(''));
  assert.match(warnings[0], /format 1 \(no tensor names\).*by position/);
});
