import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import {
  CheckpointStore,
  checkpointDir,
  fit,
  RunInterruptedError,
  type FitCallback,
} from '../../src/coordinator/index.js';
import { quietLogger, tempRunDir, freePort } from '../distributed/helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('a hung worker process (SIGSTOP, its connections open) is detected within 10 s by rank and address', async (t) => {
  const out = path.join(tempRunDir(t, 'sc-hung-'), 'run');
  const address = `127.0.0.1:${await freePort()}`;
  const workers: ChildProcess[] = [0, 1].map((rank) =>
    spawn(process.execPath, [CLI, 'worker', '--join', address, '--rank', String(rank), '--log-format', 'json'], {
      stdio: 'ignore',
    }),
  );
  t.after(() => {
    for (const w of workers) w.kill('SIGKILL');
  });
  let stoppedAt = 0;
  const hang: FitCallback = {
    afterStep(_ctx, rec) {
      if (rec.iteration === 5) {
        stoppedAt = Date.now();
        workers[1].kill('SIGSTOP');
      }
    },
  };
  const err = await fit(
    {
      model: 'mlp',
      data: 'sample',
      backend: 'cpu',
      batchSize: 64,
      iterations: 12,
      lr: 0.3,
      augment: false,
      listen: address,
      workers: 2,
      checkpointEvery: 4,
      checksumEvery: 0,
      out,
    },
    { logger: quietLogger(), plots: false, callbacks: [hang] },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof RunInterruptedError, `fit failed with a RunInterruptedError, got ${String(err)}`);
  const detectMs = err.at - stoppedAt;
  process.stdout.write(`# hung worker: detected in ${detectMs} ms\n`);
  assert.ok(detectMs < 10_000, `detected within 10 s (took ${detectMs} ms)`);
  assert.match(err.message, /worker rank 1 \(127\.0\.0\.1:\d+\) failed in Step 6: unreachable/);
  assert.match(err.message, /continue with: superconverge fit --resume/);
  assert.equal(new CheckpointStore(checkpointDir(out)).latest().checkpoint.loop.nextIteration, 4);
});
