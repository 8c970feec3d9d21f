import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, lrFindTextChart, textChart } from '../../src/reporting/index.js';

// y = (log10 x + 2)^2 over x = 1e-5 .. 1: minimum 0 at 1e-2, maximum 9 at 1e-5.
const points = Array.from({ length: 51 }, (_, i) => {
  const x = 10 ** (-5 + i / 10);
  return { x, y: (Math.log10(x) + 2) ** 2 };
});

test('text chart: log x, one * per column, y range on the left, the mark under its column', () => {
  const chart = textChart(points, { width: 51, height: 10, markX: 1e-2, markLabel: 'suggested lr 0.01' });
  const lines = chart.split('\n');
  assert.equal(lines.length, 10 + 3);
  const rows = lines.slice(0, 10);
  assert.match(rows[0], /^9 \|\*/, 'the maximum (x = 1e-5) is the top-left star');
  assert.match(rows[9], /^0 \|/);
  // Column c of the plot is character c + 3 ("9 |"). x = 1e-2 falls in column 30 of 51 on a log axis (3 of 5 decades).
  const plotCol = (line: string, c: number) => line[3 + c];
  assert.equal(plotCol(rows[9], 30), '*', 'the minimum is at the bottom, in the marked column');
  for (const r of rows.slice(0, 9)) assert.equal(plotCol(r, 30), '|', 'the mark is a column of |');
  assert.equal(lines[11], '   1.00e-5' + '1'.padStart(51 - '1.00e-5'.length), 'x range under the axis');
  assert.equal(lines[12].indexOf('^'), 3 + 30);
  assert.equal(lines[12].trim(), '^ suggested lr 0.01');
});

test('text chart: a mark outside the range says so; no points, no chart', () => {
  const chart = textChart(points, { width: 20, height: 5, markX: 100 });
  assert.equal(chart.split('\n').at(-1), '(100 is outside the plotted range)');
  assert.equal(textChart([]), '(no points to chart)');
  assert.throws(() => textChart(points, { width: 1 }), /width and height must be whole numbers >= 2/);
  assert.equal(formatNumber(0.000123), '1.23e-4');
  assert.equal(formatNumber(0.0316), '0.0316');
  assert.equal(formatNumber(1251), '1251');
  assert.equal(formatNumber(1251.7), '1250');
});

test('lrFindTextChart marks the suggested lr over the smoothed validation loss', () => {
  const rows = points.map((p, i) => ({ iteration: i, lr: p.x, loss: 5, valLoss: p.y }));
  const chart = lrFindTextChart(rows, { suggestion: 1e-2, skipStart: 0, skipEnd: 0, width: 51, height: 10 });
  const lines = chart.split('\n');
  assert.equal(lines[0], 'validation loss (smoothed)');
  assert.match(lines.at(-1)!, /^ +\^ suggested lr 0\.01$/);
  const caret = lines.at(-1)!.indexOf('^');
  const axisStart = lines.find((l) => l.includes('+---'))!.indexOf('+') + 1;
  assert.equal(caret - axisStart, 30, 'the suggestion is 3 decades into the 5-decade axis');
  // The smoothed curve lags the raw one, so its minimum is right of 1e-2 but the chart still spans the sweep.
  assert.match(lines.at(-2)!, /1\.00e-5 +1 {2}learning rate \(log\)$/);
});
