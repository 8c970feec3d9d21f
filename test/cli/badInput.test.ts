/**
 * Bad input (issue 16): each case is refused before anything runs, with a message naming the flag and what it
 * takes, and no run is overwritten. Cheap checks call the parsers directly; the ones only the CLI shows (exit codes,
 * the absence of stack traces) spawn it. bench/badInputSweep.ts runs every case of the issue against the CLI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { parseFitFlags } from '../../src/cli/fitFlags.js';
import { LR_FIND_HELP } from '../../src/cli/lrFindCommand.js';
import { fit, lrFind } from '../../src/coordinator/index.js';
import { runDirectory } from '../../src/coordinator/runDirectory.js';
import { ConfigError, readSettings, resolveFitConfig } from '../../src/shared/config/index.js';
import { DataError, readIdxDir } from '../../src/data/index.js';
import { checkLabels } from '../../src/data/checkLabels.js';
import { loadModel, saveModel, selectBackend } from '../../src/worker/index.js';
import { writeIdx, writeIdxDataset } from '../data/fixtures.js';
import { quietLogger, tempRunDir } from '../distributed/helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
const STACK = /\n\s+at /;

/** The ConfigError that parsing and resolving `fit` flags throws, or fails. */
function refused(args: string[]): string {
  try {
    resolveFitConfig(parseFitFlags(args).config);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `${args.join(' ')}: ${String(e)}`);
    return e.message;
  }
  return assert.fail(`${args.join(' ')} was accepted`);
}

test('counts: 0, negative, fractional and huge values get one message stating the same range (--iterations 0 included)', () => {
  assert.equal(refused(['--batch-size=-5']), refused(['--batch-size', '0']).replace("'0'", "'-5'"));
  assert.match(refused(['--batch-size', '0']), /--batch-size takes a whole number from 1 to 2147483647, got '0'/);
  assert.match(refused(['--iterations', '0']), /--iterations takes a whole number from 1 to/);
  assert.match(refused(['--epochs', '0']), /--epochs takes a whole number from 1 to/);
  assert.match(refused(['--iterations', '1e20']), /--iterations takes a whole number from 1 to 2147483647, got '1e20'/);
  assert.match(refused(['--workers', '0']), /--workers takes a whole number from 1/);
  assert.match(refused(['--workers=-2']), /--workers takes a whole number from 1/);
});

test('derived values are checked when parsed: --lr 1e308, --step-at outside (0, 1), --gpus without a GPU backend, a bad --data', () => {
  assert.match(refused(['--lr', '1e308']), /--lr 1e\+308 is out of range: .* would be Infinity/);
  assert.match(
    refused(['--schedule', 'step', '--step-at', '1.5,0.2']),
    /--step-at takes increasing fractions of the run in \(0, 1\)/,
  );
  assert.match(refused(['--gpus', '0,1', '--backend', 'cpu']), /--backend cpu does not use a GPU/);
  assert.match(
    refused(['--data', 'nonsense:thing']),
    /--data "nonsense:thing": unknown dataset; expected one of: sample, fashion-mnist, idx:DIR, cifar10:DIR/,
  );
  assert.doesNotThrow(() =>
    resolveFitConfig(parseFitFlags(['--lr', '10', '--schedule', 'step', '--step-at', '0.3,0.6']).config),
  );
  for (const backend of ['tensorflow-gpu', 'webgpu']) {
    assert.doesNotThrow(
      () => resolveFitConfig(parseFitFlags(['--gpus', '0,1', '--backend', backend]).config),
      `--gpus with ${backend}`,
    );
  }
});

test('deadline variables above 2^31-1 ms (what Node timers and grpc-js take) are refused when read, naming the variable', () => {
  for (const v of ['1e99', '3000000000', '0', '-1', '1.5', 'soon']) {
    assert.throws(
      () => readSettings({ SUPERCONVERGE_STEP_DEADLINE_MS: v }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          `SUPERCONVERGE_STEP_DEADLINE_MS must be a whole number of milliseconds from 1 to 2147483647 (24.8 days), got '${v}'`,
    );
  }
  assert.equal(readSettings({ SUPERCONVERGE_STEP_DEADLINE_MS: '2147483647' }).stepDeadlineMs, 2147483647);
  // Checked by the CLI before anything starts, even for a run without gRPC workers: exit 2, no stack trace.
  const r = cli(
    [
      'fit',
      '--model',
      'mlp',
      '--backend',
      'cpu',
      '--iterations',
      '1',
      '--no-plots',
      '--out',
      '/nonexistent/never-made',
    ],
    { SUPERCONVERGE_STEP_DEADLINE_MS: '1e99' },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /SUPERCONVERGE_STEP_DEADLINE_MS must be a whole number of milliseconds/);
  assert.doesNotMatch(r.stderr, STACK);
});

test('a run directory that holds a run is refused (how to resume it, or --overwrite); --overwrite replaces only the run', (t) => {
  const dir = path.join(tempRunDir(t, 'sc-out-'), 'run');
  mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
  writeFileSync(path.join(dir, 'metrics.jsonl'), '{}\n');
  writeFileSync(path.join(dir, 'loss.png'), 'png');
  writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  assert.throws(
    () => runDirectory(dir, 'fit'),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.message ===
        `--out ${dir} already holds a run (metrics.jsonl, checkpoints): continue it with \`superconverge fit --resume ${dir}\`, choose another --out, or give --overwrite to replace it`,
  );
  assert.equal(runDirectory(dir, 'fit', { overwrite: true }), dir);
  assert.deepEqual(readdirSync(dir), ['notes.txt'], "the run's files are gone, the user's file is kept");
  assert.equal(runDirectory(dir, 'fit'), dir, 'an emptied directory takes a new run');
  const file = path.join(dir, 'notes.txt');
  assert.throws(() => runDirectory(file, 'fit'), /--out .*notes\.txt is a file, not a directory/);
  assert.throws(
    () => runDirectory(path.join(file, 'sub'), 'fit'),
    /--out .*sub cannot be created: .*notes\.txt is a file/,
  );
});

test('the CLI: a second fit into the same --out exits 2 and leaves the first run whole; --resume with another --out is refused', (t) => {
  const out = path.join(tempRunDir(t, 'sc-out-'), 'b4');
  const M = ['--model', 'mlp', '--backend', 'cpu', '--no-plots', '--batch-size', '64', '--log-format', 'json'];
  const first = cli(['fit', ...M, '--iterations', '4', '--out', out]);
  assert.equal(first.status, 0, first.stderr);
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
    iterations: number;
    config: { dataStats: { numClasses: number } };
  };
  assert.equal(summary.config.dataStats.numClasses, 10, 'the class count is recorded');
  const before = readdirSync(path.join(out, 'checkpoints'));
  const second = cli(['fit', ...M, '--iterations', '3', '--out', out]);
  assert.equal(second.status, 2, second.stderr);
  assert.match(
    second.stderr,
    /already holds a run .*continue it with `superconverge fit --resume .*`, choose another --out, or give --overwrite/,
  );
  assert.doesNotMatch(second.stderr, STACK);
  assert.deepEqual(readdirSync(path.join(out, 'checkpoints')), before);
  assert.equal(
    (JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { iterations: number }).iterations,
    4,
  );
  const elsewhere = cli(['fit', '--resume', out, '--out', `${out}-other`]);
  assert.equal(elsewhere.status, 2, elsewhere.stderr);
  assert.match(elsewhere.stderr, /--resume continues the run in its own directory .*; drop --out/);
  const missing = cli(['fit', '--resume', `${out}-missing`]);
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /--resume .*-missing: no such directory/);
});

test('labels must be 0..K-1: a label beyond a gap is refused, naming it and how many examples carry it', async (t) => {
  const labels = Uint8Array.from({ length: 50 }, (_, i) => i % 10);
  labels[17] = 200;
  assert.throws(
    () => checkLabels(labels, 'train-labels'),
    (e: unknown) =>
      e instanceof DataError &&
      e.message ===
        'train-labels: labels must be 0..K-1 with every class present; 0..9 are, then no example has label 10, but label 200 (1 example) lies beyond that gap: relabel them or drop those examples',
  );
  assert.equal(
    checkLabels(
      Uint8Array.from({ length: 50 }, (_, i) => i % 10),
      'ok',
    ),
    10,
  );
  const dir = tempRunDir(t, 'sc-labels-');
  writeIdxDataset(dir, { nTrain: 40, nTest: 10, height: 4, width: 4, classes: 10, gzip: false });
  const bad = Uint8Array.from({ length: 40 }, (_, i) => i % 10);
  bad[3] = 200;
  bad[5] = 200;
  writeIdx(path.join(dir, 'train-labels-idx1-ubyte'), [40], bad, false);
  await assert.rejects(readIdxDir(dir, 'idx'), /label 200 \(2 examples\) lies beyond that gap/);
});

test('a loaded model whose output size is not the class count is refused, naming both; a truncated weights.bin says truncated', async (t) => {
  await selectBackend('cpu'); // the test builds its model here; wasm, registered by another import, is not ready
  const dir = tempRunDir(t, 'sc-model-');
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 5, activation: 'softmax' })],
  });
  const json = await saveModel(model, path.join(dir, 'five'));
  model.dispose();
  await assert.rejects(
    fit(
      { model: json, backend: 'cpu', iterations: 1, out: path.join(dir, 'run') },
      { logger: quietLogger(), plots: false },
    ),
    /--model .*model\.json has 5 outputs, but the data has 10 classes/,
  );
  const weights = path.join(dir, 'five', 'weights.bin');
  const bytes = readFileSync(weights);
  writeFileSync(weights, bytes.subarray(0, bytes.byteLength - 8));
  await assert.rejects(
    loadModel(json),
    new RegExp(
      `weights\\.bin is truncated: ${bytes.byteLength - 8} bytes, the manifest's 2 weights need ${bytes.byteLength}`,
    ),
  );
  assert.ok(existsSync(json));
});

test('--model with an unknown name lists the built-in models; lr-find --help lists each flag once', () => {
  const r = cli(['fit', '--model', 'resnet99', '--iterations', '1', '--out', '/nonexistent/never-made']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /--model resnet99: no built-in model of that name \(resnet-mini, resnet20, resnet56, cnn, mlp\)/,
  );
  const flags: string[] = LR_FIND_HELP.match(/--[a-z-]+/g) ?? [];
  const listed = LR_FIND_HELP.slice(LR_FIND_HELP.indexOf("plus fit's"));
  const repeated = (listed.match(/--[a-z-]+/g) ?? []).filter((f, i, all) => all.indexOf(f) !== i);
  assert.deepEqual(repeated, [], `listed twice: ${repeated.join(' ')}`);
  assert.ok(flags.includes('--overwrite'));
});

test('a batch larger than the training split is the same ConfigError in fit and lr-find', async (t) => {
  const dir = tempRunDir(t, 'sc-batch-');
  for (const run of [
    () =>
      fit(
        { model: 'mlp', backend: 'cpu', batchSize: 7000, iterations: 1, out: path.join(dir, 'fit') },
        { logger: quietLogger(), plots: false },
      ),
    () =>
      lrFind(
        { model: 'mlp', backend: 'cpu', batchSize: 7000, out: path.join(dir, 'lr-find') },
        { numIt: 3 },
        { logger: quietLogger(), plots: false },
      ),
  ]) {
    await assert.rejects(
      run(),
      (e: unknown) =>
        e instanceof Error &&
        e.cause instanceof ConfigError &&
        /--batch-size 7000 is larger than the training split \(6000 examples of fashion-mnist-sample\/train\)/.test(
          e.message,
        ),
    );
  }
});
