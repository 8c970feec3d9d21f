/** Test helpers for the distributed tests: quiet logs, temporary run directories, saved weights, free ports, mlp steps. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { createLogger, type Logger } from '../../src/shared/log/index.js';
import type { StepRequest__Output } from '../../src/shared/proto/generated/superconverge/v1/StepRequest.js';

// Worker threads and processes inherit the environment: keep their info logs out of the test output.
process.env.SUPERCONVERGE_LOG_LEVEL ??= 'warn';

export function quietLogger(): Logger {
  return createLogger({ level: 'warn' });
}

/** A fresh directory, removed after the test. */
export function tempRunDir(t: TestContext, prefix = 'sc-dist-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The saved model's weights (run/model/weights.bin) as float32. */
export function savedWeights(runDir: string): Float32Array {
  const bytes = readFileSync(path.join(runDir, 'model', 'weights.bin'));
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** ||a - b||₂ / ||a||₂ (lengths must match). */
export function relativeDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += a[i] ** 2;
  }
  return Math.sqrt(diff / norm);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * Step `n` of run `runId` for the mlp (two layer groups) on one worker's Worker service: batch n of epoch 0, lr 0.1
 * in both groups, momentum 0.9, weight decay `wd`.
 */
export function mlpStep(n: number, runId = 'r1', wd = 0): StepRequest__Output {
  return {
    runId,
    step: n,
    epoch: 0,
    batchInEpoch: n,
    momentum: 0.9,
    groupLrs: [0.1, 0.1],
    groupWeightDecays: [wd, wd],
  };
}
