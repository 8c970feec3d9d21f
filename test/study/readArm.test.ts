import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readArm, type ArmSpec } from '../../bench/study/runArm.js';

const spec: ArmSpec = { name: 'step-2ep', kind: 'step', config: { batchSize: 128, lr: 0.1, wd: 1e-3, epochs: 2 } };

/** A run directory as fit leaves it after a resume in epoch 1: epochs.csv times that epoch only from the resume. */
function resumedRun(root: string, finished: boolean): void {
  const dir = path.join(root, spec.name);
  mkdirSync(dir, { recursive: true });
  const steps = [0, 1, 2, 3].map((iteration) => ({
    iteration,
    epoch: iteration >> 1,
    lr: 0.1,
    loss: 1,
    stepMs: 1000 + 250 * iteration,
  }));
  writeFileSync(path.join(dir, 'metrics.jsonl'), steps.map((s) => JSON.stringify(s)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'evals.csv'), 'iteration,epoch,valLoss,accuracy\n2,0,0.9,0.5\n4,1,0.8,0.625\n');
  writeFileSync(
    path.join(dir, 'epochs.csv'),
    'epoch,trainLoss,valLoss,accuracy,seconds,imagesPerSecond\n0,1,0.9,0.5,2.25,113\n1,1,0.8,0.625,1.75,146\n',
  );
  if (finished) {
    writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({
        accuracy: 0.625,
        iterations: 4,
        epochs: 2,
        imagesPerSecond: 120,
        config: { batchSize: 128, lr: 0.1, wd: 1e-3 },
      }),
    );
  }
}

test('readArm: training seconds count every step once, across resumes; the curve and the state come from the files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'sc-readarm-'));
  try {
    assert.equal(readArm(root, spec), undefined); // not started
    resumedRun(root, false);
    const partial = readArm(root, spec)!;
    assert.equal(partial.finished, false);
    assert.deepEqual(partial.curve, [
      { iterations: 2, accuracy: 0.5 },
      { iterations: 4, accuracy: 0.625 },
    ]);
    // steps of 1.0, 1.25, 1.5 and 1.75 s: 5.5 s, where epochs.csv's 2.25 + 1.75 misses the time before the resume
    assert.equal(partial.seconds, 5.5);
    resumedRun(root, true);
    const done = readArm(root, spec)!;
    assert.deepEqual([done.finished, done.iterations, done.finalAccuracy, done.seconds], [true, 4, 0.625, 5.5]);
    // a run without metrics.jsonl (none recorded) falls back to epochs.csv
    rmSync(path.join(root, spec.name, 'metrics.jsonl'));
    assert.equal(readArm(root, spec)!.seconds, 4);
    // as git keeps a finished arm (evals.csv, summary.json, and the training time runArm saved while metrics.jsonl was there)
    rmSync(path.join(root, spec.name, 'epochs.csv'));
    writeFileSync(path.join(root, spec.name, 'training-time.json'), JSON.stringify({ seconds: 5.5 }));
    assert.deepEqual(readArm(root, spec), done);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
