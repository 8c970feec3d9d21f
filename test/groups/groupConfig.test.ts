import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFitFlags } from '../../src/cli/fitFlags.js';
import { ConfigError, resolveFitConfig, resolveGroupValues } from '../../src/shared/config/index.js';
import { oneCycle, scaleGroupLrs } from '../../src/shared/schedule/index.js';

test("scaleGroupLrs: every group scaled by the schedule's factor at every one-cycle step; the last group is the schedule", () => {
  const base = [0.4 / 9, 0.4 / 3, 0.4];
  const s = oneCycle({ iterations: 500, maxLr: 0.4, div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 });
  for (let i = 0; i < 500; i++) {
    const lrs = scaleGroupLrs(base, s(i).lr);
    assert.equal(lrs[2], s(i).lr);
    assert.ok(
      Math.abs(lrs[0] / lrs[2] - 1 / 9) < 1e-15 && Math.abs(lrs[1] / lrs[2] - 1 / 3) < 1e-15,
      `iteration ${i}: ${lrs.join(',')}`,
    );
  }
});

test('--lr and --wd take one value or one per group; --layer-groups and --freeze-to', () => {
  const { config } = parseFitFlags([
    '--lr',
    '0.01,0.03,0.1',
    '--wd',
    '1e-4',
    '--layer-groups',
    'stem, block2,12',
    '--freeze-to',
    '1',
  ]);
  assert.deepEqual(config, { lrs: [0.01, 0.03, 0.1], wd: 1e-4, layerGroups: ['stem', 'block2', '12'], freezeTo: 1 });
  const c = resolveFitConfig(config);
  assert.equal(c.lr, 0.1);
  assert.deepEqual(c.lrs, [0.01, 0.03, 0.1]);
  assert.deepEqual(parseFitFlags(['--lr', '0.2', '--wd', '0,1e-3']).config, { lr: 0.2, wds: [0, 1e-3] });
  assert.throws(
    () => parseFitFlags(['--layer-groups', 'stem,,head']),
    /--layer-groups takes layer-name prefixes or layer indices/,
  );
});

test('resolveFitConfig: per-group values checked and the scalar taken from the last group', () => {
  assert.equal(resolveFitConfig({ lrs: [0.3] }).lrs, undefined, 'one value is the scalar');
  assert.equal(resolveFitConfig({ lrs: [0.3] }).lr, 0.3);
  assert.equal(resolveFitConfig({ wds: [0, 5e-4] }).wd, 5e-4);
  assert.equal(resolveFitConfig({}).freezeTo, 0);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ lrs: [0.1, -1] }, /--lr \(lrs\) value for layer group 1 must be a positive number, got -1/],
    [{ wds: [] }, /--wd \(wds\) must list one value per layer group/],
    [{ lr: 0.5, lrs: [0.1, 0.2] }, /lr \(0.5\) must be the last value of lrs \(0.1,0.2\)/],
    [{ freezeTo: -1 }, /freezeTo \(--freeze-to\) must be an integer >= 0/],
    [{ lrs: [0.1, 0.2], wds: [0, 0, 0] }, /--lr gives 2 values but --wd gives 3 values/],
    [{ lrs: [0.1, 0.2], freezeTo: 2 }, /--freeze-to 2 is past the last layer group \(--lr gives 2 values, so 0..1\)/],
    [{ layerGroups: ['stem', ' '] }, /--layer-groups takes layer-name prefixes or layer indices/],
  ];
  for (const [input, message] of bad) {
    assert.throws(
      () => resolveFitConfig(input as never),
      (e: Error) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(input),
    );
  }
});

test("resolveGroupValues lists every group's lr and wd and records where the groups start", () => {
  const c = resolveGroupValues(resolveFitConfig({ model: 'mlp', lr: 0.2, wds: [1e-3, 1e-4], freezeTo: 1 }), [
    'input',
    'head_dense',
  ]);
  assert.deepEqual(
    [c.lrs, c.wds, c.layerGroups, c.lr, c.wd],
    [[0.2, 0.2], [1e-3, 1e-4], ['input', 'head_dense'], 0.2, 1e-4],
  );
  assert.deepEqual(resolveFitConfig(c), c, 'the resolved config resolves to itself (summary.json reloads as given)');
});

test('the CLI reports per-group values that do not fit the model as a usage error, without a stack', () => {
  const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
  const out = mkdtempSync(path.join(tmpdir(), 'sc-groups-cli-'));
  const r = spawnSync(
    process.execPath,
    [
      cli,
      'fit',
      '--model',
      'mlp',
      '--backend',
      'cpu',
      '--iterations',
      '1',
      '--lr',
      '0.1,0.2,0.3',
      '--no-plots',
      '--out',
      out,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--lr gives 3 values but the model mlp has 2 layer groups \(starting at input, head_dense\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
