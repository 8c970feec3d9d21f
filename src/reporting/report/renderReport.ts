import path from 'node:path';
import { formatNumber } from '../plots/index.js';
import type { RunRecords } from '../records/index.js';

/** A rendered plot to embed: its file stem (lr, loss, lr_find), a caption and its SVG. */
export interface ReportPlot {
  name: string;
  caption: string;
  svg: string;
}

export interface ReportContext {
  /** Filled in where summary.json lacks them (e.g. a report rendered before fit wrote it). */
  workers?: number;
  config?: Record<string, unknown>;
  now?: Date;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A table cell; numbers rounded to 3 significant digits unless `exact` (the config: as given). */
function cell(v: unknown, exact = false): string {
  if (typeof v === 'number') return escapeHtml(exact ? String(v) : formatNumber(v));
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'boolean') return escapeHtml(String(v));
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return escapeHtml(v.join(', '));
  return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
}

/** Nested objects become dotted keys (oneCycle.div), so the config reads as one flat table. */
function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v as Record<string, unknown>, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

function table(rows: [string, unknown][], cls: string, exact = false): string {
  const body = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${cell(v, exact)}</td></tr>`).join('\n');
  return `<table class="${cls}">\n${body}\n</table>`;
}

function epochTable(run: RunRecords): string {
  if (!run.epochs) return '';
  const head =
    '<tr><th>epoch</th><th>train loss</th><th>valid loss</th><th>accuracy</th><th>seconds</th><th>images/s</th></tr>';
  const rows = run.epochs
    .map(
      (e) =>
        `<tr><td>${e.epoch}</td><td>${cell(e.trainLoss)}</td><td>${cell(e.valLoss)}</td><td>${(e.accuracy * 100).toFixed(2)}%</td><td>${e.seconds.toFixed(1)}</td><td>${e.imagesPerSecond.toFixed(0)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Epochs</h2>\n<table class="epochs">\n${head}\n${rows}\n</table>`;
}

/** The final metrics from summary.json, or (before it exists) from the last epoch and the run's context. */
function metrics(run: RunRecords, ctx: ReportContext): [string, unknown][] {
  const s = run.summary ?? {};
  const last = run.epochs?.at(-1);
  const steps = run.steps ?? run.lrFind;
  const rows: [string, unknown][] = [
    ['validation loss', s.valLoss ?? last?.valLoss],
    [
      'accuracy',
      typeof (s.accuracy ?? last?.accuracy) === 'number'
        ? `${(((s.accuracy ?? last?.accuracy) as number) * 100).toFixed(2)}%`
        : undefined,
    ],
    ['iterations', s.iterations ?? (steps ? steps.length : undefined)],
    ['epochs', s.epochs ?? (run.epochs ? run.epochs.length : undefined)],
    [
      'throughput (images/s)',
      typeof s.imagesPerSecond === 'number'
        ? Math.round(s.imagesPerSecond)
        : last
          ? Math.round(last.imagesPerSecond)
          : undefined,
    ],
    ['workers', s.workers ?? ctx.workers],
    ['backend', s.backend],
    ['stopped early', s.stoppedEarly],
  ];
  return rows.filter(([, v]) => v !== undefined);
}

function suggestionSection(run: RunRecords): string {
  const sug = run.summary?.suggestion;
  if (!sug) return '';
  const { lr, ...rest } = sug;
  return `<h2>lr_find suggestion</h2>\n<p class="suggestion">suggested learning rate: <strong>${escapeHtml(formatNumber(lr))}</strong></p>\n${table(flatten(rest), 'suggestion')}`;
}

function figure(p: ReportPlot): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(p.svg, 'utf8').toString('base64')}`;
  return `<figure id="plot-${escapeHtml(p.name)}"><img class="plot" alt="${escapeHtml(p.caption)}" src="${src}"><figcaption>${escapeHtml(p.caption)}</figcaption></figure>`;
}

const STYLE = `body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:1150px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9em}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
td{font-variant-numeric:tabular-nums}figure{margin:1em 0}img.plot{max-width:100%;border:1px solid #eee}
figcaption{color:#666;font-size:.85em}.suggestion strong{color:#d62728}code{font-size:.85em}`;

/** Marks the page once every plot image has decoded, so a headless browser's DOM dump can tell that they rendered. */
const LOADED_SCRIPT =
  `addEventListener('load',()=>{const i=[...document.images];` +
  `document.body.dataset.plotsRendered=String(i.filter(x=>x.complete&&x.naturalWidth>0).length)+'/'+i.length;});`;

/**
 * One self-contained HTML page for a run: final metrics and throughput, the lr_find suggestion when present, the
 * plots (embedded as SVG data URIs, so the page needs no other file), the epochs and the full config.
 */
export function renderReport(run: RunRecords, plots: readonly ReportPlot[], ctx: ReportContext = {}): string {
  const name = path.basename(run.dir);
  const kind = run.lrFind ? 'lr_find' : 'fit';
  const config = run.summary?.config ?? ctx.config;
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(name)}: superconverge ${kind}</title>`,
    `<style>${STYLE}</style>`,
    `<script>${LOADED_SCRIPT}</script>`,
    '</head><body>',
    `<h1>${escapeHtml(name)} <small>(${kind})</small></h1>`,
    `<p>${escapeHtml(run.dir)}</p>`,
    '<h2>Results</h2>',
    table(metrics(run, ctx), 'metrics'),
    suggestionSection(run),
    '<h2>Plots</h2>',
    plots.length > 0 ? plots.map(figure).join('\n') : '<p>(no plots)</p>',
    epochTable(run),
    '<h2>Config</h2>',
    config ? table(flatten(config), 'config', true) : '<p>(no config recorded: summary.json is missing)</p>',
    `<footer><p>generated ${escapeHtml((ctx.now ?? new Date()).toISOString())} by superconverge</p></footer>`,
    '</body></html>',
  ];
  return parts.filter((p) => p !== '').join('\n') + '\n';
}
