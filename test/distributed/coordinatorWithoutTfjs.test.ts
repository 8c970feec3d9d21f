/**
 * A coordinator whose workers are all remote never loads tfjs: what it knows of models (names, model files) and of
 * GPUs comes from src/shared, and the worker's code is imported only when a worker runs in its own thread. Checked
 * on a real run: `fit --listen` in a child process that records every module it resolves, and a `worker --join`
 * process beside it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeIdxDataset } from '../data/fixtures.js';
import { tempRunDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const LOG_IMPORTS = fileURLToPath(new URL('./logImports.js', import.meta.url));
const TFJS = /\/node_modules\/@tensorflow\//;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv, onStderr: (text: string) => void = () => {}) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
    onStderr(stderr);
  });
  const done = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { done, kill: () => child.kill('SIGKILL') };
}

/** The lines of an import log naming a @tensorflow module, with who imported it. */
function tfjsImports(log: string): string[] {
  return log.split('\n').filter((l) => TFJS.test(l.split(' <- ')[0]));
}

test('the import log sees tfjs where it is loaded: importing the worker', (t) => {
  const log = path.join(tempRunDir(t, 'sc-imports-'), 'imports.log');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      LOG_IMPORTS,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(new URL('../../src/worker/index.js', import.meta.url).href)})`,
    ],
    { env: { ...process.env, SC_IMPORT_LOG: log }, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(tfjsImports(readFileSync(log, 'utf8')).length > 0, 'the worker imports @tensorflow/tfjs');
});

test('fit with only remote workers loads no @tensorflow module in the coordinator, and still writes the model', async (t) => {
  const dir = tempRunDir(t, 'sc-no-tfjs-');
  const data = path.join(dir, 'data');
  const out = path.join(dir, 'run');
  const log = path.join(dir, 'imports.log');
  mkdirSync(data);
  writeIdxDataset(data, { nTrain: 64, nTest: 16, height: 8, width: 8, classes: 4, gzip: false });
  const env = { ...process.env, SUPERCONVERGE_LOG_LEVEL: 'info', SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS: '60000' };
  let worker: ReturnType<typeof run> | undefined;
  const coordinator = run(
    [
      '--import',
      LOG_IMPORTS,
      CLI,
      'fit',
      '--listen',
      '127.0.0.1:0',
      '--world-size',
      '1',
      '--data',
      `idx:${data}`,
      '--model',
      'mlp',
      '--backend',
      'cpu',
      '--iterations',
      '2',
      '--batch-size',
      '16',
      '--no-plots',
      '--out',
      out,
      '--log-format',
      'json',
    ],
    { ...env, SC_IMPORT_LOG: log },
    (stderr) => {
      // The coordinator says where to join once it listens (port 0: the one it was given).
      const join = /superconverge worker --join (\S+?)"/.exec(stderr)?.[1];
      if (join && !worker) worker = run([CLI, 'worker', '--join', join, '--log-format', 'json'], env);
    },
  );
  const timer = setTimeout(() => {
    coordinator.kill();
    worker?.kill();
  }, 120_000);
  const c = await coordinator.done;
  const w = await worker?.done;
  clearTimeout(timer);
  assert.equal(c.code, 0, `coordinator exited with ${c.code ?? c.signal}: ${c.stderr.slice(-2000)}`);
  assert.ok(w, `no worker was started: the coordinator never said where to join: ${c.stderr.slice(-2000)}`);
  assert.equal(w.code, 0, `worker exited with ${w.code ?? w.signal}: ${w.stderr.slice(-2000)}`);
  assert.ok(existsSync(path.join(out, 'model', 'model.json')), 'the coordinator wrote the trained model');
  assert.ok(existsSync(path.join(out, 'model', 'weights.bin')));

  const imports = readFileSync(log, 'utf8');
  assert.match(imports, /\/dist\/src\/coordinator\/fit\.js /, 'the import log covers the coordinator');
  assert.deepEqual(tfjsImports(imports), [], 'the coordinator process loaded tfjs');
});
