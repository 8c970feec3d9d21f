import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { renderRunPlots } from '../../src/reporting/index.js';
import { decodePng, pixelStats } from './decodePng.js';
import { makeFitRun, makeLrFindRun, tempDir } from './fixtures.js';

/** The embedded plots: each <img>'s data URI decoded back to its SVG text. */
function embeddedSvgs(html: string): string[] {
  return [...html.matchAll(/<img class="plot" alt="[^"]*" src="data:image\/svg\+xml;base64,([^"]+)">/g)].map((m) =>
    Buffer.from(m[1], 'base64').toString('utf8'),
  );
}

/** `<th>key</th><td>value</td>` in the page. */
const row = (html: string, key: string, value: string) =>
  assert.ok(html.includes(`<tr><th>${key}</th><td>${value}</td></tr>`), `report lacks row ${key} = ${value}`);

describe('report.html', () => {
  test('a fit run: results, plots inline, epochs, the full config; nothing fetched from elsewhere', async () => {
    const dir = tempDir('report-fit');
    makeFitRun(dir);
    await renderRunPlots(dir);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    row(html, 'validation loss', '0.66');
    row(html, 'accuracy', '79.00%');
    row(html, 'throughput (images/s)', '1251');
    row(html, 'workers', '2');
    row(html, 'backend', 'cpu');
    row(html, 'oneCycle.pct', '13.68');
    row(html, 'wd', '0.0001');
    row(html, 'stepMilestones', '0.5, 0.75');
    assert.equal((html.match(/<tr><td>\d+<\/td>/g) ?? []).length, 3, 'one row per epoch');
    assert.deepEqual(
      embeddedSvgs(html),
      ['loss', 'lr'].map((n) => readFileSync(path.join(dir, `${n}.svg`), 'utf8')),
    );
    assert.doesNotMatch(html, /(src|href)="(https?:|\/\/|file:)/, 'the page must be self-contained');
  });

  test('an lr_find run: the suggestion and its explanation', async () => {
    const dir = tempDir('report-lrfind');
    makeLrFindRun(dir);
    await renderRunPlots(dir);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    assert.match(html, /suggested learning rate: <strong>0\.03<\/strong>/);
    row(html, 'minValLossLr', '0.3');
    row(html, 'explanations.lr', 'a tenth of the lr at the minimum validation loss');
    assert.equal(embeddedSvgs(html).length, 2);
  });
});

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
const skip = chromium ? false : 'chromium is not installed (Debian: apt-get install -y chromium)';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function runChromium(args: string[]): string {
  const profile = mkdtempSync(path.join(tmpdir(), 'superconverge-chromium-'));
  const r = spawnSync(chromium!, [...FLAGS, `--user-data-dir=${profile}`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `chromium exited ${r.status} (${r.signal ?? ''}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

test('report.html renders in headless Chromium: every plot image decodes, the page is not blank', {
  skip,
}, async () => {
  if (skip) console.log(`skipped: ${skip}`);
  const dir = tempDir('report-chromium');
  makeLrFindRun(dir);
  await renderRunPlots(dir);
  const url = `file://${path.join(dir, 'report.html')}`;
  const dom = runChromium(['--dump-dom', url]);
  assert.match(dom, /<body data-plots-rendered="2\/2">/, 'the page counts the <img> plots that decoded');
  const shot = path.join(dir, 'screenshot.png');
  runChromium([`--screenshot=${shot}`, '--window-size=1200,2000', url]);
  assert.ok(existsSync(shot), 'chromium wrote no screenshot');
  const img = decodePng(readFileSync(shot));
  assert.deepEqual([img.width, img.height], [1200, 2000]);
  const stats = pixelStats(img);
  assert.ok(stats.colours > 50 && stats.inkFraction > 0.05, `screenshot looks blank: ${JSON.stringify(stats)}`);
});
