import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import {
  CheckpointStore,
  checkpointDir,
  fit,
  launchWorkers,
  RunInterruptedError,
  type FitCallback,
} from '../../src/coordinator/index.js';
import { resolveFitConfig, type FitConfig, type SpawnMode } from '../../src/shared/config/index.js';
import { quietLogger, tempRunDir } from '../distributed/helpers.js';

const RUN: Partial<FitConfig> = {
  model: 'mlp',
  data: 'sample',
  backend: 'cpu',
  batchSize: 64,
  iterations: 12,
  lr: 0.3,
  augment: false,
  seed: 2,
  workers: 2,
  checkpointEvery: 4,
  checksumEvery: 0,
};

/**
 * Kills local worker rank 1 after step `iteration`, recording when, and waits for it to have ended: a thread
 * terminated while it reads HTTP/2 data can abort the whole process (nodejs/node#38418), so not during the next Step.
 */
function killRank1After(iteration: number, kill: () => Promise<void>, killedAt: { t?: number }): FitCallback {
  return {
    async afterStep(_ctx, rec) {
      if (rec.iteration === iteration) {
        killedAt.t = Date.now();
        await kill();
      }
    },
  };
}

async function killMidRun(spawn: SpawnMode, out: string): Promise<void> {
  const log = quietLogger();
  const config = resolveFitConfig({ ...RUN, spawn, out });
  const launched = await launchWorkers(config, log, { logFormat: 'json' });
  const rank1 = launched.locals?.find((l) => l.rank === 1);
  assert.ok(rank1, 'rank 1 is a local worker');
  const address = launched.workers[1].address;
  const killedAt: { t?: number } = {};
  const err = await fit(config, {
    logger: log,
    plots: false,
    workers: launched,
    callbacks: [
      killRank1After(
        5,
        async () => {
          rank1.kill();
          await rank1.stop(0);
        },
        killedAt,
      ),
    ],
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof RunInterruptedError, `fit failed with a RunInterruptedError, got ${String(err)}`);
  assert.ok(killedAt.t !== undefined);
  const detectMs = err.at - killedAt.t;
  process.stdout.write(`# ${spawn} worker killed: detected in ${detectMs} ms\n`);
  assert.ok(detectMs < 10_000, `detected within 10 s (took ${detectMs} ms)`);
  assert.match(err.message, new RegExp(`worker rank 1 \\(${address.replace(/\./g, '\\.')}\\) failed in Step 6`));
  assert.match(
    err.message,
    new RegExp(
      `the last checkpoint is checkpoints/step-000000004\\.ckpt; continue with: superconverge fit --resume ${out.replace(/[/.]/g, '\\$&')}`,
    ),
  );
  // Nothing lost but the steps after the checkpoint: it loads, and the run resumes from it to the end.
  assert.equal(new CheckpointStore(checkpointDir(out)).latest().checkpoint.loop.nextIteration, 4);
  const resumed = await fit({}, { logger: log, plots: false, resume: out });
  assert.equal(resumed.iterations, 12);
}

test('a worker thread terminated mid-run: the run stops naming rank 1 and its address, the checkpoint resumes', async (t) => {
  await killMidRun('thread', path.join(tempRunDir(t, 'sc-fail-'), 'run'));
});

test('a worker process killed mid-run: the run stops naming rank 1 and its address, the checkpoint resumes', async (t) => {
  await killMidRun('process', path.join(tempRunDir(t, 'sc-fail-'), 'run'));
});
