import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fit, type FitCallback } from '../../src/coordinator/index.js';
import { quietLogger, tempRunDir } from '../distributed/helpers.js';

// A liveness timeout far shorter than one cnn step of 128 examples per worker on the cpu backend (each worker's training thread is
// blocked for the whole forward and backward pass). This file runs in its own process: set before settings() is read.
const LIVENESS_MS = 500;
process.env.SUPERCONVERGE_LIVENESS_TIMEOUT_MS = String(LIVENESS_MS);

test("steps that block the workers' training threads for longer than the liveness timeout are slow, not dead", async (t) => {
  const computeMs: number[] = [];
  const record: FitCallback = {
    afterStep(_c, rec) {
      computeMs.push(rec.computeMs);
    },
  };
  const s = await fit(
    {
      model: 'cnn',
      data: 'sample',
      backend: 'cpu',
      batchSize: 256,
      iterations: 2,
      augment: false,
      workers: 2,
      spawn: 'process',
      evalEveryEpoch: false,
      out: path.join(tempRunDir(t, 'sc-slow-'), 'run'),
    },
    { logger: quietLogger(), plots: false, callbacks: [record] },
  );
  assert.equal(s.iterations, 2);
  // The premise: every step's compute outlasted the timeout (else this test shows nothing).
  assert.ok(
    computeMs.every((ms) => ms > LIVENESS_MS),
    `compute per step ${computeMs.map(Math.round).join(', ')} ms, timeout ${LIVENESS_MS} ms`,
  );
});
