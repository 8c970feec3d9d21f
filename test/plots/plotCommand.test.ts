import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { plotCommand } from '../../src/cli/plotCommand.js';
import type { FitContext } from '../../src/coordinator/index.js';
import { PlotsCallback } from '../../src/reporting/index.js';
import { makeFitRun, makeLrFindRun, recordingLog, tempDir } from './fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({ write: (c, _e, cb) => void (chunks.push(String(c)), cb()) });
  return { out, text: () => chunks.join('') };
}

test('plot RUN_DIR: re-renders the plots, prints the lr_find chart with the suggestion and the files written', async () => {
  const dir = tempDir('cli');
  makeLrFindRun(dir, { suggestion: 3e-2 });
  const s = sink();
  await plotCommand([dir, '--skip-start', '0', '--skip-end', '0'], s.out);
  const text = s.text();
  assert.match(text, /^validation loss \(smoothed\)\n/);
  assert.match(text, /\n +\^ suggested lr 0\.03\n/);
  for (const f of ['lr_find.svg', 'lr_find.png', 'lr.svg', 'lr.png', 'report.html']) {
    assert.ok(text.includes(`wrote ${path.join(dir, f)}\n`), `no 'wrote ${f}' in:\n${text}`);
    assert.ok(existsSync(path.join(dir, f)));
  }
  await assert.rejects(plotCommand([], sink().out), /plot takes one run directory, got none/);
  await assert.rejects(
    plotCommand([dir, '--skip-end', '1.5'], sink().out),
    /--skip-end takes a whole number from 0 to 2147483647, got '1.5'/,
  );
});

test('superconverge plot on a missing directory: exit 1 and one line naming it, no stack', () => {
  const missing = path.join(tempDir('cli-missing'), 'no-such-run');
  const r = spawnSync(process.execPath, [path.join(root, 'dist/src/cli/main.js'), 'plot', missing], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `superconverge: run directory ${missing} does not exist\n`);
});

test('PlotsCallback at afterFit: plots and a report with the workers and config from the context', async () => {
  const dir = tempDir('callback');
  makeFitRun(dir, { summary: false });
  const log = recordingLog();
  const ctx = { runDir: dir, log, cluster: { size: 3 }, config: { model: 'mlp', lr: 0.25 } } as unknown as FitContext;
  const cb = new PlotsCallback();
  await cb.afterFit(ctx);
  assert.deepEqual(
    cb.files.map((f) => path.basename(f)),
    ['loss.svg', 'loss.png', 'lr.svg', 'lr.png', 'report.html'],
  );
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.ok(html.includes('<tr><th>workers</th><td>3</td></tr>'));
  assert.ok(html.includes('<tr><th>lr</th><td>0.25</td></tr>'));
  assert.ok(html.includes('<tr><th>validation loss</th><td>0.66</td></tr>'), 'final metrics from the last epoch');
  assert.equal(log.lines.at(-1)?.level, 'info');

  const empty = tempDir('callback-empty');
  await new PlotsCallback().afterFit({ ...ctx, runDir: empty } as FitContext);
  const last = log.lines.at(-1)!;
  assert.equal(last.level, 'error');
  assert.equal(
    last.msg,
    `could not render the plots for ${empty}: no records to plot in ${empty}: metrics.jsonl, epochs.csv, lr_find.jsonl are all missing or empty (retry: superconverge plot ${empty})`,
  );
});
