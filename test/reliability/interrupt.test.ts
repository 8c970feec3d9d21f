import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fit, lrFind, RunInterruptedError, TrainingInterruptedError } from '../../src/coordinator/index.js';
import type { FitConfig } from '../../src/shared/config/index.js';
import { quietLogger, savedWeights, tempRunDir } from '../distributed/helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const RUN: Partial<FitConfig> = {
  model: 'mlp',
  data: 'sample',
  backend: 'cpu',
  batchSize: 64,
  iterations: 30,
  lr: 0.3,
  augment: false,
  seed: 5,
  checkpointEvery: 10,
};

function lines(file: string): number {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l !== '').length
    : 0;
}

test('fit aborted after step 12 checkpoints that step, says how to continue, and resumes to the uninterrupted weights', async (t) => {
  const root = tempRunDir(t, 'sc-interrupt-');
  const whole = await fit({ ...RUN, out: path.join(root, 'whole') }, { logger: quietLogger(), plots: false });
  const out = path.join(root, 'interrupted');
  const controller = new AbortController();
  const abortAt12 = {
    afterStep: (_: unknown, rec: { iteration: number }) => {
      if (rec.iteration === 12) controller.abort('SIGINT');
    },
  };
  const err = await fit(
    { ...RUN, out },
    { logger: quietLogger(), plots: false, callbacks: [abortAt12], signal: controller.signal },
  ).then(
    () => assert.fail('an interrupted fit resolved'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RunInterruptedError, String(err));
  assert.ok(err.cause instanceof TrainingInterruptedError);
  assert.equal(err.cause.nextIteration, 13);
  assert.match(err.message, /interrupted \(SIGINT\) after step 12/);
  assert.match(
    err.message,
    /the last checkpoint is checkpoints\/step-000000013\.ckpt; continue with: superconverge fit --resume /,
  );
  assert.deepEqual(readdirSync(path.join(out, 'checkpoints')), ['step-000000010.ckpt', 'step-000000013.ckpt']);
  assert.equal(existsSync(path.join(out, 'summary.json')), false, 'an interrupted run is not reported as finished');
  const resumed = await fit({}, { logger: quietLogger(), plots: false, resume: out });
  assert.equal(resumed.iterations, 30);
  assert.deepEqual(savedWeights(resumed.runDir), savedWeights(whole.runDir), 'bitwise equal weights');
});

test('Ctrl-C on a terminal (SIGINT to the process group) stops the CLI fit and its worker processes with a checkpoint; exit 130', async (t) => {
  const out = path.join(tempRunDir(t, 'sc-interrupt-'), 'run');
  const args = [
    CLI,
    'fit',
    '--model',
    'mlp',
    '--data',
    'sample',
    '--backend',
    'cpu',
    '--workers',
    '2',
    '--spawn',
    'process',
    '--iterations',
    '2000',
    '--batch-size',
    '64',
    '--no-augment',
    '--checkpoint-every',
    '1000',
    '--no-plots',
    '--log-format',
    'json',
    '--out',
    out,
  ];
  // detached: a process group of its own, as a shell gives a foreground job; the group's SIGINT is what Ctrl-C sends.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const metrics = path.join(out, 'metrics.jsonl');
  const deadline = Date.now() + 60_000;
  while (lines(metrics) < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(lines(metrics) >= 20, `no training progress within 60 s: ${stderr}`);
  process.kill(-child.pid!, 'SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /SIGINT: stopping after the step in flight, with a checkpoint/);
  const steps = lines(metrics);
  assert.ok(steps < 2000, 'the run stopped early');
  assert.match(stderr, new RegExp(`interrupted \\(SIGINT\\) after step ${steps - 1}`));
  assert.match(
    stderr,
    new RegExp(
      `the last checkpoint is checkpoints/step-0*${steps}\\.ckpt; continue with: superconverge fit --resume ${out}`,
    ),
  );
  assert.doesNotMatch(stderr, /exited with|before the run ended/, 'the workers were not killed by the Ctrl-C');
  assert.equal(existsSync(path.join(out, 'summary.json')), false);
});

test('lr_find aborted after step 3 stops there with a TrainingInterruptedError (the CLI exits 130 on it)', async (t) => {
  const out = path.join(tempRunDir(t, 'sc-interrupt-'), 'lr-find');
  const controller = new AbortController();
  const abortAt3 = {
    afterStep: (_: unknown, rec: { iteration: number }) => {
      if (rec.iteration === 3) controller.abort('SIGTERM');
    },
  };
  await assert.rejects(
    lrFind(
      { ...RUN, out },
      { numIt: 50 },
      { logger: quietLogger(), plots: false, callbacks: [abortAt3], signal: controller.signal },
    ),
    (e: unknown) =>
      e instanceof TrainingInterruptedError &&
      e.nextIteration === 4 &&
      /interrupted \(SIGTERM\) after step 3/.test(e.message),
  );
  assert.equal(lines(path.join(out, 'lr_find.jsonl')), 4, 'the records of the 4 steps run');
});
