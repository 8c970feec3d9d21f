import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { iterationsToTarget } from '../../bench/study/iterationsToTarget.js';
import { runStudy, StudyUsageError } from '../../bench/study/runStudy.js';
import { FULL_STUDY, type StudyPlan } from '../../bench/study/StudyPlan.js';
import pino from 'pino';
import { RunInterruptedError, TrainingInterruptedError } from '../../src/coordinator/index.js';
import { createLogger } from '../../src/shared/log/index.js';

const quiet = createLogger({ level: 'warn' });
const here = path.dirname(fileURLToPath(import.meta.url));

/** The study's whole pipeline at toy scale: the mlp on the wasm backend, one worker, the shipped sample. */
const TINY: StudyPlan = {
  name: 'tiny',
  // dropLast as the real plans state it (they keep the epoch length the study was measured with).
  base: { model: 'mlp', data: 'sample', workers: 1, augment: false, backend: 'wasm', seed: 0, dropLast: true },
  batchSize: 512,
  lrFind: { startLr: 1e-3, endLr: 10, numIt: 20, wds: [1e-4, 1e-3] },
  oneCycle: { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85, epochs: [1] },
  baseline: { lr: 0.1, momentum: 0.9, constantEpochs: 2, stepEpochs: [1], stepMilestones: [0.5, 0.75], stepGamma: 0.1 },
  largeBatch: { batchSize: 1024, numIt: 10, epochs: 1 }, // 10: the fewest points lr-find suggests an lr from
  targets: [0.6, 0.75],
  speedupGoal: 5,
  evalEvery: 4,
  checkpointEvery: 4,
};

test('runStudy: lr_find2 picks lr and wd, every arm trains, the report compares them; a rerun trains nothing; an interrupted arm resumes', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sc-study-'));
  const r = await runStudy(TINY, { out, logger: quiet });
  // The arms, in training order, each finished with its evaluations every 8 steps and at epoch ends.
  assert.deepEqual(
    r.arms.map((a) => a.name),
    ['one-cycle-1ep', 'step-1ep', 'one-cycle-1ep-batch1024', 'constant-2ep'],
  );
  assert.ok(r.arms.every((a) => a.finished));
  const constant = r.arms[3];
  assert.equal(constant.iterations, 2 * Math.floor(6000 / 512));
  assert.deepEqual(
    constant.curve.map((p) => p.iterations),
    [4, 8, 11, 12, 16, 20, 22],
  );
  assert.equal(r.arms[2].batchSize, 1024);
  assert.equal(r.arms[2].iterations, Math.floor(6000 / 1024));
  // The one-cycle's lr and wd are lr_find2's: the chosen sweep's recommendation.
  const lrFindSummary = JSON.parse(readFileSync(path.join(out, 'lr-find', 'summary.json'), 'utf8')) as {
    sweeps: { wd: number; suggestion: { lr: number } }[];
  };
  const chosen = lrFindSummary.sweeps.find((s) => s.wd === r.lrChoice.wd)!;
  assert.equal(r.arms[0].lr, chosen.suggestion.lr);
  assert.equal(r.arms[0].wd, r.lrChoice.wd);
  assert.ok([1e-4, 1e-3].includes(r.lrChoice.wd));
  assert.equal(r.arms[1].lr, 0.1); // the baselines' lr
  // The comparison is read off the curves.
  for (const c of r.comparisons) {
    if (c.oneCycle) assert.equal(c.oneCycle.iterations, iterationsToTarget(r.arms[0].curve, c.target));
  }
  assert.ok(r.arms[0].finalAccuracy > 0.6, `the mlp's one-cycle reaches ${r.arms[0].finalAccuracy}`);
  // The report: markdown with every run, the json, and the plot.
  const md = readFileSync(path.join(out, 'study.md'), 'utf8');
  for (const a of r.arms) assert.match(md, new RegExp(`\\| ${a.name} \\| ${a.batchSize} \\|`));
  assert.match(md, /iterations to 60\.00% \| iterations to 75\.00%/);
  assert.ok(statSync(path.join(out, 'accuracy.png')).size > 5000);
  assert.deepEqual(JSON.parse(readFileSync(path.join(out, 'study.json'), 'utf8')).comparisons, r.comparisons);

  // Run again: every arm is read back, nothing retrained.
  const before = statSync(path.join(out, 'constant-2ep', 'summary.json')).mtimeMs;
  const again = await runStudy(TINY, { out, logger: quiet });
  assert.equal(statSync(path.join(out, 'constant-2ep', 'summary.json')).mtimeMs, before);
  assert.deepEqual(again.arms, r.arms);

  // Interrupt the constant run after step 16: no summary, only the checkpoint then. The report shows it unfinished,
  // and the next run resumes it there and ends exactly where the uninterrupted run ended.
  const dir = path.join(out, 'constant-2ep');
  rmSync(path.join(dir, 'summary.json'));
  for (const f of readdirSync(path.join(dir, 'checkpoints')))
    if (f !== 'step-000000016.ckpt') rmSync(path.join(dir, 'checkpoints', f));
  const partial = await runStudy(TINY, { out, logger: quiet, reportOnly: true });
  assert.equal(partial.arms[3].finished, false);
  assert.match(readFileSync(path.join(out, 'study.md'), 'utf8'), /\| constant-2ep \(unfinished\) \|/);
  const resumed = await runStudy(TINY, { out, logger: quiet });
  assert.equal(resumed.arms[3].finished, true);
  assert.deepEqual(resumed.arms[3].curve, constant.curve);
  assert.equal(resumed.arms[3].finalAccuracy, constant.finalAccuracy);

  // A changed plan does not mix with the runs already there.
  await assert.rejects(
    runStudy({ ...TINY, lrFind: { ...TINY.lrFind, numIt: 21 } }, { out, logger: quiet }),
    /holds an lr_find2 run with other settings than the study's now \(numIt 20 there, 21 now\)/,
  );
  await assert.rejects(
    runStudy({ ...TINY, baseline: { ...TINY.baseline, lr: 0.2 } }, { out, logger: quiet }),
    /holds a different run than the study's step-1ep now asks for/,
  );
});

test('runStudy: an arm whose loss goes NaN is reported as diverged and the study goes on', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sc-study-'));
  const plan: StudyPlan = {
    ...TINY,
    lrFind: { ...TINY.lrFind, numIt: 12, wds: [1e-4] },
    largeBatch: undefined,
    baseline: { ...TINY.baseline, lr: 1e6, stepEpochs: [1], constantEpochs: 1 },
  };
  const r = await runStudy(plan, { out, logger: quiet });
  assert.deepEqual(
    r.arms.map((a) => [a.name, a.finished, a.diverged !== undefined]),
    [
      ['one-cycle-1ep', true, false],
      ['step-1ep', true, true],
      ['constant-1ep', true, true],
    ],
  );
  assert.match(r.arms[1].diverged!, /the training loss is (NaN|-?Infinity) at step \d+ \(lr 1000000\)/);
  assert.match(readFileSync(path.join(out, 'study.md'), 'utf8'), /\| step-1ep \(diverged\) \|/);
  // read back as diverged, not retrained
  const again = await runStudy(plan, { out, logger: quiet, reportOnly: true });
  assert.deepEqual(
    again.arms.map((a) => a.diverged),
    r.arms.map((a) => a.diverged),
  );
});

test('runStudy: the full study says how to get Fashion-MNIST when it is missing', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sc-study-'));
  await assert.rejects(
    runStudy(FULL_STUDY, { out, logger: quiet, fashionMnistDir: path.join(out, 'none') }),
    (e: unknown) => {
      assert.ok(e instanceof StudyUsageError);
      assert.match(e.message, /apt-get install dataset-fashion-mnist/);
      return true;
    },
  );
  assert.ok(!existsSync(path.join(out, 'lr-find')));
});

test('npm run study: an unknown plan exits 2 with a message, no stack trace', () => {
  const r = spawnSync(process.execPath, [path.join(here, '../../bench/study.js'), '--plan', 'huge'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), "study: --plan must be one of quick, full, got 'huge'");
});

test('runStudy: aborted (Ctrl-C) while an arm trains, it stops after that step with a checkpoint; the same call continues', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sc-study-'));
  const plan: StudyPlan = {
    ...TINY,
    lrFind: { ...TINY.lrFind, numIt: 12, wds: [1e-4] },
    largeBatch: undefined,
    baseline: { ...TINY.baseline, stepEpochs: [] },
  };
  const controller = new AbortController();
  // Ctrl-C as the first arm starts training, its workers configured (its 'layer groups' line): the run stops after
  // its first step. (Before that, a Ctrl-C ends the run at once with nothing to resume: test/reliability/signals.)
  let armStarted = false;
  const logger = pino(
    { level: 'info', base: undefined },
    new Writable({
      write(chunk: Buffer, _e, done) {
        const line = chunk.toString();
        if (line.includes('study: training one-cycle-1ep')) armStarted = true;
        if (armStarted && line.includes('layer groups')) controller.abort('SIGINT');
        done();
      },
    }),
  );
  const err = await runStudy(plan, { out, logger, signal: controller.signal }).then(
    () => assert.fail('an interrupted study resolved'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RunInterruptedError, String(err));
  assert.ok(err.cause instanceof TrainingInterruptedError);
  assert.equal(err.cause.nextIteration, 1);
  const arm = path.join(out, 'one-cycle-1ep');
  assert.deepEqual(readdirSync(path.join(arm, 'checkpoints')), ['step-000000001.ckpt']);
  assert.ok(!existsSync(path.join(arm, 'summary.json')));
  assert.ok(existsSync(path.join(out, 'study.md')), 'the report is written before the study stops');
  const r = await runStudy(plan, { out, logger: quiet });
  assert.deepEqual(
    r.arms.map((a) => [a.name, a.finished, a.iterations]),
    [
      ['one-cycle-1ep', true, 11],
      ['constant-2ep', true, 22],
    ],
  );
  assert.equal(
    readFileSync(path.join(arm, 'metrics.jsonl'), 'utf8').trim().split('\n').length,
    11,
    'each step recorded once',
  );
});
