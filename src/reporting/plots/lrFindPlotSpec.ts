import type { TopLevelSpec } from 'vega-lite';
import { debiasedSmooth } from '../../shared/smoothing/index.js';
import { PlotError } from '../PlotError.js';
import type { LrFindRow } from '../records/index.js';

interface LrFindPlotOptions {
  /** Points dropped at the start and the end of each curve (fastai's n_skip, n_skip_end): 10 and 5. */
  skipStart?: number;
  skipEnd?: number;
  /** Smooth each series with the debiased moving average (beta 0.98) before skipping: true. */
  smoothed?: boolean;
  /** The suggested learning rate, drawn as a vertical rule. */
  suggestion?: number;
}

/** Metrics plotted in their own panel against the lr, where the records have them. */
const METRICS = ['accuracy'] as const;

interface Point {
  lr: number;
  value: number;
  series: string;
  curve: string;
}

/** One sweep's curves (one weight decay), in iteration order. */
function groupByWd(rows: readonly LrFindRow[]): Map<string, LrFindRow[]> {
  const groups = new Map<string, LrFindRow[]>();
  for (const r of rows) {
    const key = typeof r.wd === 'number' ? `wd ${r.wd}` : '';
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  for (const g of groups.values()) g.sort((a, b) => a.iteration - b.iteration);
  return groups;
}

/** The series `pick` over a curve's rows (rows without a value are left out), smoothed, with its ends skipped. */
function series(
  rows: readonly LrFindRow[],
  pick: (r: LrFindRow) => number | undefined,
  o: Required<Omit<LrFindPlotOptions, 'suggestion'>>,
) {
  const have = rows.filter((r) => typeof pick(r) === 'number' && Number.isFinite(pick(r)));
  const values = have.map((r) => pick(r) as number);
  const ys = o.smoothed ? debiasedSmooth(values) : values;
  const end = Math.max(0, have.length - o.skipEnd);
  return have.slice(o.skipStart, end).map((r, i) => ({ lr: r.lr, value: ys[i + o.skipStart] }));
}

/**
 * fastai's LR_Finder2 plot: training loss, validation loss and each metric against the learning rate on a log axis,
 * smoothed, with the first skipStart and last skipEnd points of each curve left out; one line per weight decay in a
 * sweep; the suggested lr marked.
 */
export function lrFindPlotSpec(rows: readonly LrFindRow[], opts: LrFindPlotOptions = {}): TopLevelSpec {
  const o = { skipStart: opts.skipStart ?? 10, skipEnd: opts.skipEnd ?? 5, smoothed: opts.smoothed ?? true };
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' && !(Number.isInteger(v) && v >= 0))
      throw new PlotError(`lr_find plot: ${k} must be a whole number >= 0, got ${v}`);
  }
  const groups = groupByWd(rows);
  const sweep = groups.size > 1 || [...groups.keys()].some((k) => k !== '');
  const points: Point[] = [];
  for (const [curve, g] of groups) {
    const add = (name: string, pick: (r: LrFindRow) => number | undefined) =>
      series(g, pick, o).forEach((p) => points.push({ ...p, series: name, curve }));
    add('training loss', (r) => r.loss);
    add('validation loss', (r) => r.valLoss);
    for (const m of METRICS) add(m, (r) => r[m]);
  }
  if (!points.some((p) => p.series === 'training loss')) {
    const n = Math.min(...[...groups.values()].map((g) => g.length));
    throw new PlotError(
      `lr_find plot: ${n} points per curve, and skipping the first ${o.skipStart} and last ${o.skipEnd} leaves none ` +
        `(lower --skip-start/--skip-end)`,
    );
  }
  const xTitle = 'learning rate (log scale)';
  const x = { field: 'lr', type: 'quantitative' as const, scale: { type: 'log' as const }, title: xTitle };
  const colour = sweep
    ? {
        color: { field: 'curve', type: 'nominal' as const, title: 'weight decay' },
        strokeDash: { field: 'series', type: 'nominal' as const, title: null },
      }
    : { color: { field: 'series', type: 'nominal' as const, title: null } };
  const marker = () =>
    opts.suggestion === undefined
      ? []
      : [
          {
            data: { values: [{ lr: opts.suggestion, label: `suggested lr ${opts.suggestion.toExponential(2)}` }] },
            layer: [
              {
                mark: { type: 'rule' as const, color: '#d62728', strokeWidth: 2, strokeDash: [6, 3] },
                encoding: { x },
              },
              {
                mark: {
                  type: 'text' as const,
                  color: '#d62728',
                  align: 'left' as const,
                  dx: 4,
                  dy: 6,
                  baseline: 'top' as const,
                },
                encoding: { x, y: { value: 0 }, text: { field: 'label' } },
              },
            ],
          },
        ];
  // The loss panel's y axis stops at 1.5x the highest starting loss: a loss that explodes at the end would otherwise
  // flatten the part of the curve that matters (the line is clipped there).
  const lossDomain = (names: string[]): [number, number] | undefined => {
    const first = new Map<string, number>();
    let lo = Infinity;
    for (const p of points) {
      if (!names.includes(p.series)) continue;
      const key = `${p.series}/${p.curve}`;
      if (!first.has(key)) first.set(key, p.value);
      lo = Math.min(lo, p.value);
    }
    const hi = 1.5 * Math.max(...first.values());
    return first.size > 0 && hi > lo && points.some((p) => names.includes(p.series) && p.value > hi)
      ? [lo, hi]
      : undefined;
  };
  const panel = (names: string[], yTitle: string, domain?: [number, number]) => ({
    width: 420,
    height: 280,
    title: yTitle,
    layer: [
      {
        transform: [{ filter: { field: 'series', oneOf: names } }],
        mark: { type: 'line' as const, strokeWidth: 2, clip: true },
        encoding: {
          x,
          y: {
            field: 'value',
            type: 'quantitative' as const,
            title: yTitle,
            scale: domain ? { zero: false, domain } : { zero: false },
          },
          ...colour,
          detail: { field: 'curve', type: 'nominal' as const },
        },
      },
      ...marker(),
    ],
  });
  const metricPanels = METRICS.filter((m) => points.some((p) => p.series === m)).map((m) => panel([m], m));
  return {
    title: sweep ? 'lr_find: weight-decay sweep' : 'lr_find',
    data: { values: points },
    hconcat: [
      panel(['training loss', 'validation loss'], 'loss', lossDomain(['training loss', 'validation loss'])),
      ...metricPanels,
    ],
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  } as TopLevelSpec;
}
