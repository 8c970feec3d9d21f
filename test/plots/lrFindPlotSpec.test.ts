import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lrFindPlotSpec, type LrFindRow } from '../../src/reporting/index.js';
import { debiasedSmooth } from '../../src/shared/smoothing/index.js';

const rows: LrFindRow[] = Array.from({ length: 30 }, (_, i) => ({
  iteration: i,
  lr: 10 ** (-5 + i / 6),
  loss: 2 + Math.sin(i),
  valLoss: 3 + Math.cos(i),
  accuracy: i / 30,
}));

type Pt = { lr: number; value: number; series: string; curve: string };
const points = (spec: unknown) => (spec as { data: { values: Pt[] } }).data.values;

test('debiasedSmooth: avg/(1-beta^n), so the first value is the first input', () => {
  const s = debiasedSmooth([1, 3, 2], 0.98);
  assert.equal(s[0], 1);
  const a2 = 0.98 * 0.02 * 1 + 0.02 * 3;
  assert.ok(Math.abs(s[1] - a2 / (1 - 0.98 ** 2)) < 1e-12);
  const a3 = 0.98 * a2 + 0.02 * 2;
  assert.ok(Math.abs(s[2] - a3 / (1 - 0.98 ** 3)) < 1e-12);
});

test('lr_find plot data: smoothed over the whole curve, then the first 10 and last 5 points left out', () => {
  const p = points(lrFindPlotSpec(rows));
  const train = p.filter((x) => x.series === 'training loss');
  const smooth = debiasedSmooth(rows.map((r) => r.loss));
  assert.equal(train.length, 15);
  assert.deepEqual(
    train.map((x) => x.lr),
    rows.slice(10, 25).map((r) => r.lr),
  );
  assert.deepEqual(
    train.map((x) => x.value),
    smooth.slice(10, 25),
  );
  const val = p.filter((x) => x.series === 'validation loss');
  assert.deepEqual(
    val.map((x) => x.value),
    debiasedSmooth(rows.map((r) => r.valLoss as number)).slice(10, 25),
  );
  assert.equal(p.filter((x) => x.series === 'accuracy').length, 15);
});

test('lr_find plot options: skip none, unsmoothed, a sweep split by wd', () => {
  const raw = points(lrFindPlotSpec(rows, { skipStart: 0, skipEnd: 0, smoothed: false })).filter(
    (x) => x.series === 'training loss',
  );
  assert.deepEqual(
    raw.map((x) => x.value),
    rows.map((r) => r.loss),
  );
  const sweep = [...rows.map((r) => ({ ...r, wd: 1e-4 })), ...rows.map((r) => ({ ...r, loss: r.loss + 1, wd: 1e-2 }))];
  const p = points(lrFindPlotSpec(sweep, { skipStart: 2, skipEnd: 3 })).filter((x) => x.series === 'training loss');
  assert.deepEqual([...new Set(p.map((x) => x.curve))], ['wd 0.0001', 'wd 0.01']);
  assert.equal(p.filter((x) => x.curve === 'wd 0.01').length, 25);
  assert.ok(
    Math.abs(p.find((x) => x.curve === 'wd 0.01')!.value - debiasedSmooth(rows.map((r) => r.loss + 1))[2]) < 1e-12,
  );
  assert.throws(() => lrFindPlotSpec(rows, { skipStart: -1 }), /skipStart must be a whole number >= 0, got -1/);
});

test('rows without a validation loss or accuracy are plotted without those series', () => {
  const p = points(lrFindPlotSpec(rows.map(({ iteration, lr, loss }) => ({ iteration, lr, loss }))));
  assert.deepEqual([...new Set(p.map((x) => x.series))], ['training loss']);
});
