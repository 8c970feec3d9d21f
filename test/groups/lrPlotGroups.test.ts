import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { renderRunPlots } from '../../src/reporting/index.js';
import { makeFitRun, tempDir } from '../plots/fixtures.js';

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

test("lr plot: one line per layer group where the records list every group's lr", async () => {
  const dir = tempDir('groups');
  makeFitRun(dir);
  const file = path.join(dir, 'metrics.jsonl');
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { lr: number; lrs?: number[] });
  for (const l of lines) l.lrs = [l.lr / 100, l.lr / 10, l.lr];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await renderRunPlots(dir);
  const svg = readFileSync(path.join(dir, 'lr.svg'), 'utf8');
  const t = texts(svg);
  for (const want of ['layer group', 'group 0', 'group 1', 'group 2', 'momentum'])
    assert.ok(t.includes(want), `lr.svg lacks '${want}': ${t.join('|')}`);
  // Three lr lines in the first panel, the momentum line in the second.
  assert.equal([...svg.matchAll(/class="mark-line role-mark concat_0_marks"/g)].length, 3);
  assert.equal([...svg.matchAll(/class="mark-line role-mark concat_1_marks"/g)].length, 1);
});
