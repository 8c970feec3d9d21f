import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { suggestLr, suggestionBeta } from '../../src/coordinator/lrFind/index.js';

/** A curve over lr = 10^(-4 + 5 i / n): a bowl in log(lr) with its minimum at `at`, rising by `rise` beyond. */
function curve(n: number, at: number, rise: number) {
  return Array.from({ length: n }, (_, i) => {
    const lr = Math.pow(10, -4 + (5 * i) / n);
    const d = Math.log10(lr) - Math.log10(at);
    return { lr, v: 2 + (d < 0 ? -0.3 * d : rise * d * d) };
  });
}

test('when validation and training agree, the recommended lr is where the validation loss bottoms out', () => {
  const c = curve(120, 0.1, 3);
  const s = suggestLr(
    c.map((p) => ({ lr: p.lr, valLoss: p.v, loss: p.v })),
    { skipStart: 0, skipEnd: 0 },
  )!;
  // Smoothing lags the curve by some points: the picks are near 0.1, within half a decade.
  assert.ok(s.minValLossLr > 0.1 / 3 && s.minValLossLr < 0.3, `${s.minValLossLr}`);
  assert.equal(s.lr, s.minValLossLr);
  assert.ok(s.steepestLr < s.minValLossLr);
  assert.match(s.explanation.lr, /validation loss bottoms out/);
});

test('when the validation loss turns up a decade before the training loss, the training minimum is the bound', () => {
  const val = curve(120, 0.03, 20);
  const train = curve(120, 0.5, 3);
  const s = suggestLr(
    val.map((p, i) => ({ lr: p.lr, valLoss: p.v, loss: train[i].v })),
    { skipStart: 0, skipEnd: 0 },
  )!;
  assert.ok(s.minTrainLossLr > 3 * s.minValLossLr);
  assert.equal(s.lr, s.minTrainLossLr);
  assert.match(s.explanation.lr, /BatchNorm's running statistics/);
});

test('too few finite points: no suggestion', () => {
  assert.equal(
    suggestLr([
      { lr: 1, valLoss: Number.NaN, loss: 1 },
      { lr: 2, valLoss: 1, loss: 1 },
    ]),
    undefined,
  );
  // 9 points make no curve to read a minimum off (an 8-iteration lr-find used to recommend one); 10 do.
  const points = (n: number) => curve(n, 0.1, 3).map((p) => ({ lr: p.lr, valLoss: p.v, loss: p.v }));
  assert.equal(suggestLr(points(9), { skipStart: 0, skipEnd: 0 }), undefined);
  assert.ok(suggestLr(points(10), { skipStart: 0, skipEnd: 0 }));
});

test('a validation loss that turns up early is blamed on BatchNorm only for a model that has it', () => {
  const val = curve(120, 0.03, 20);
  const train = curve(120, 0.5, 3);
  const pts = val.map((p, i) => ({ lr: p.lr, valLoss: p.v, loss: train[i].v }));
  const without = suggestLr(pts, { skipStart: 0, skipEnd: 0, batchNorm: false })!;
  assert.doesNotMatch(without.explanation.lr, /BatchNorm's running statistics/);
  assert.match(without.explanation.lr, /no BatchNorm/);
  assert.match(
    suggestLr(pts, { skipStart: 0, skipEnd: 0, batchNorm: true })!.explanation.lr,
    /BatchNorm's running statistics/,
  );
});

test('on a recorded sweep with a ragged tail past the minimum, the pick stays near the raw minimum, not decades late', () => {
  // Full Fashion-MNIST, resnet-mini with augmentation: the raw training loss is lowest (0.94) near lr 0.18, jumps
  // at 0.3-0.6, then wobbles around 1.2-2 up to lr 4 (BatchNorm holds it). fastai's beta 0.98 smoothing puts the
  // training minimum at 3.98 on this curve; the recommendation must stay within the falling part.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = path.resolve(here, '../../../test/lrFind/fixtures/fashion-mnist-sweep.json');
  const { points } = JSON.parse(readFileSync(file, 'utf8')) as {
    points: { lr: number; loss: number; valLoss: number }[];
  };
  assert.equal(points.length, 100);
  const s = suggestLr(points, { skipStart: 10, skipEnd: 5 })!;
  assert.ok(s.minTrainLossLr > 0.1 && s.minTrainLossLr < 0.5, `training minimum at ${s.minTrainLossLr}`);
  assert.ok(s.lr > 0.1 && s.lr < 0.5, `recommended ${s.lr}`);
  assert.equal(suggestionBeta(100), 0.9);
  assert.equal(suggestionBeta(1000), 0.98);
  assert.equal(suggestionBeta(12), 0.5);
});
