import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseJsonLines, parseStrictJson } from './parseStrictJson.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

test('the strict parser rejects a repeated key and malformed JSON, and reads what JSON.parse reads', () => {
  assert.throws(() => parseStrictJson('{"rank":1,"rank":1}'), /duplicate key "rank"/);
  assert.throws(() => parseStrictJson('{"a":{"b":1,"b":2}}'), /duplicate key "b"/);
  assert.throws(() => parseStrictJson('{"a":1,}'), SyntaxError);
  assert.throws(() => parseStrictJson('{"a":01}'), SyntaxError);
  assert.throws(() => parseStrictJson('{"a":1} x'), /trailing/);
  const text = '{"level":30,"s":"a\\"b\\u00e9","n":-1.5e3,"l":[true,false,null,{}],"o":{"rank":1}}';
  assert.deepEqual(parseStrictJson(text), JSON.parse(text));
});

test('a 2-worker run with --log-format json logs strict JSON lines, every key once, the rank on worker lines', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sc-jsonlog-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'fit',
        '--model',
        'mlp',
        '--backend',
        'cpu',
        '--workers',
        '2',
        '--iterations',
        '3',
        '--batch-size',
        '32',
        '--no-augment',
        '--no-plots',
        '--log-format',
        'json',
        '--out',
        path.join(out, 'run'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = parseJsonLines(r.stderr);
    // What the run logs: the coordinator's lines and each worker's, which carry their rank (bound to the logger,
    // and named again by the call that logs the rank the coordinator assigned).
    const joined = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('joined run '));
    assert.deepEqual(joined.map((l) => l.rank).sort(), [0, 1]);
    assert.ok(
      lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('done: results in ')),
      r.stderr,
    );
    for (const l of lines) assert.equal(typeof l.time, 'number');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
