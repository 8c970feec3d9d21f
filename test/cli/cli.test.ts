import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('schedule --policy one-cycle prints the CSV', () => {
  const r = run(
    'schedule',
    '--policy',
    'one-cycle',
    '--lr',
    '1',
    '--iterations',
    '10',
    '--one-cycle',
    '10,0,0.95,0.85',
  );
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n');
  assert.equal(rows[0], 'iteration,lr,momentum');
  assert.equal(rows.length, 11);
  assert.equal(rows[1], '0,0.1,0.95');
  assert.equal(rows[6], '5,1,0.85'); // c = 5: the peak, lowest momentum
});

test('schedule --policy lr-range --linear', () => {
  const r = run(
    'schedule',
    '--policy',
    'lr-range',
    '--start-lr',
    '1',
    '--end-lr',
    '3',
    '--iterations',
    '2',
    '--linear',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'iteration,lr,momentum\n0,1,\n1,2,\n');
});

test('unknown flags and bad values are errors naming the flag, without a stack trace', () => {
  const unknown = run('fit', '--bogus', '1');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /bogus/);
  assert.doesNotMatch(unknown.stderr, /\n\s+at /);
  const bad = run('fit', '--one-cycle', '10,abc');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--one-cycle takes comma-separated numbers/);
  const enumBad = run('fit', '--schedule', 'triangular', '--iterations', '1');
  assert.equal(enumBad.status, 2);
  assert.match(enumBad.stderr, /schedule must be one of one-cycle, constant, step/);
});

test('a missing dataset fails with a message naming it', () => {
  const r = run(
    'fit',
    '--data',
    'idx:/nonexistent/dir',
    '--backend',
    'cpu',
    '--iterations',
    '1',
    '--out',
    '/tmp/sc-cli-missing',
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/nonexistent\/dir/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('asking for an unavailable native backend exits 1 with how to install it', () => {
  const r = run('fit', '--backend', 'tensorflow-gpu', '--iterations', '1', '--out', '/tmp/sc-cli-gpu');
  if (r.status === 0) return; // a machine with tfjs-node-gpu
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tfjs-node-gpu/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
