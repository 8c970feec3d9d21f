import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PlotError, renderRunPlots } from '../../src/reporting/index.js';
import { decodePng, pixelStats, pngSize } from './decodePng.js';
import { makeFitRun, makeLrFindRun, tempDir } from './fixtures.js';

function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, `no width/height on the root <svg>: ${svg.slice(0, 200)}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The plot's SVG and PNG exist; the PNG is twice the SVG's size, decodes, and holds a drawing with text. */
function checkPlot(dir: string, name: string): string {
  const svg = readFileSync(path.join(dir, `${name}.svg`), 'utf8');
  const png = readFileSync(path.join(dir, `${name}.png`));
  const s = svgSize(svg);
  const p = pngSize(png);
  assert.deepEqual(
    { width: p.width, height: p.height },
    { width: Math.round(s.width * 2), height: Math.round(s.height * 2) },
    `${name}.png size`,
  );
  const stats = pixelStats(decodePng(png));
  assert.ok(stats.colours > 50, `${name}.png has ${stats.colours} distinct colours: blank or flat`);
  assert.ok(
    stats.inkFraction > 0.02 && stats.inkFraction < 0.6,
    `${name}.png: ${(stats.inkFraction * 100).toFixed(1)}% non-white pixels`,
  );
  assert.ok(
    stats.darkPixels > 2000,
    `${name}.png: ${stats.darkPixels} dark pixels, so no text was drawn (font missing?)`,
  );
  return svg;
}

/** The text of the SVG's <text> elements (axis titles, tick labels, legends). */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderRunPlots', () => {
  test('a fit run: lr and loss plots, and report.html', async () => {
    const dir = tempDir('fit');
    makeFitRun(dir);
    const { files } = await renderRunPlots(dir);
    assert.deepEqual(
      files.map((f) => path.basename(f)),
      ['loss.svg', 'loss.png', 'lr.svg', 'lr.png', 'report.html'],
    );
    const lr = texts(checkPlot(dir, 'lr'));
    for (const t of ['learning rate', 'momentum', 'iteration', '0.40', '0.94', '0.86'])
      assert.ok(lr.includes(t), `lr.svg lacks '${t}': ${lr.join('|')}`);
    const loss = texts(checkPlot(dir, 'loss'));
    for (const t of [
      'loss',
      'iteration',
      'epoch',
      'accuracy',
      'training loss',
      'training loss (smoothed)',
      'validation loss',
      '80.0%',
    ]) {
      assert.ok(loss.includes(t), `loss.svg lacks '${t}': ${loss.join('|')}`);
    }
  });

  test('an lr_find run: log lr axis, the suggestion marked, lr on a log axis too', async () => {
    const dir = tempDir('lrfind');
    makeLrFindRun(dir, { suggestion: 3e-2 });
    const { files } = await renderRunPlots(dir);
    assert.deepEqual(
      files.map((f) => path.basename(f)),
      ['lr_find.svg', 'lr_find.png', 'lr.svg', 'lr.png', 'report.html'],
    );
    const t = texts(checkPlot(dir, 'lr_find'));
    for (const want of [
      'learning rate (log scale)',
      'suggested lr 3.00e-2',
      'training loss',
      'validation loss',
      'accuracy',
    ]) {
      assert.ok(t.includes(want), `lr_find.svg lacks '${want}'`);
    }
    // Ticks at powers of ten, evenly spaced: a log axis.
    for (const tick of ['0.00001', '0.001', '0.1', '10'])
      assert.ok(t.includes(tick), `lr_find.svg has no tick ${tick}`);
    assert.ok(texts(checkPlot(dir, 'lr')).includes('learning rate (log scale)'));
  });

  test('a weight-decay sweep: one curve per wd; no suggestion, no mark', async () => {
    const dir = tempDir('sweep');
    makeLrFindRun(dir, { wds: [1e-4, 1e-3, 1e-2], suggestion: null });
    await renderRunPlots(dir, { skipStart: 0, skipEnd: 0 });
    const t = texts(checkPlot(dir, 'lr_find'));
    for (const want of ['weight decay', 'wd 0.0001', 'wd 0.001', 'wd 0.01'])
      assert.ok(t.includes(want), `lr_find.svg lacks '${want}'`);
    assert.ok(!t.some((x) => x.startsWith('suggested')), 'marked a suggestion that summary.json does not have');
  });

  test('errors name the run directory, file and line', async () => {
    const missing = path.join(tempDir('missing'), 'nope');
    await assert.rejects(
      renderRunPlots(missing),
      (e: Error) => e instanceof PlotError && e.message === `run directory ${missing} does not exist`,
    );
    const empty = tempDir('empty');
    writeFileSync(path.join(empty, 'metrics.jsonl'), '');
    await assert.rejects(
      renderRunPlots(empty),
      new RegExp(`no records to plot in ${empty}: metrics.jsonl, epochs.csv, lr_find.jsonl are all missing or empty`),
    );
    const bad = tempDir('bad');
    writeFileSync(path.join(bad, 'metrics.jsonl'), '{"iteration":0,"epoch":0,"lr":0.1,"loss":2}\n{"iteration":1,\n');
    await assert.rejects(renderRunPlots(bad), new RegExp(`${bad}/metrics.jsonl line 2: not JSON`));
    writeFileSync(path.join(bad, 'metrics.jsonl'), '{"iteration":0,"epoch":0,"lr":"x","loss":2}\n');
    await assert.rejects(renderRunPlots(bad), /metrics.jsonl line 1: 'lr' must be a number, got "x"/);
    const csv = tempDir('csv');
    writeFileSync(
      path.join(csv, 'epochs.csv'),
      'epoch,trainLoss,valLoss,accuracy,seconds,imagesPerSecond\n0,1.2,oops,0.5,1,100\n',
    );
    await assert.rejects(renderRunPlots(csv), /epochs.csv line 2: 'valLoss' is not a number \('oops'\)/);
    const short = tempDir('short');
    makeLrFindRun(short, { iterations: 12 });
    await assert.rejects(
      renderRunPlots(short),
      /12 points per curve, and skipping the first 10 and last 5 leaves none/,
    );
  });
});

test('lr.png: a one-cycle on a linear lr axis even when it anneals over decades; lr_find on a log one', async () => {
  const dir = tempDir('anneal');
  makeFitRun(dir);
  const lines = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  lines.at(-1).lr = 4e-5;
  writeFileSync(path.join(dir, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
  await renderRunPlots(dir);
  const t = texts(readFileSync(path.join(dir, 'lr.svg'), 'utf8'));
  assert.ok(t.includes('learning rate') && !t.includes('learning rate (log scale)'), t.join('|'));
});
