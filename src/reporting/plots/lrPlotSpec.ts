import type { TopLevelSpec } from 'vega-lite';

export interface ScheduleRow {
  iteration: number;
  lr: number;
  /** Every layer group's lr (first group first), where the run has several groups. */
  lrs?: number[];
  momentum?: number;
}

/**
 * fastai's plot_lr: the learning rate and (where recorded) the momentum against the iteration, side by side. `logLr`
 * puts the lr on a log axis (for lr_find's exponential sweep; a one-cycle reads best on a linear one, as fastai's).
 * With several layer groups (rows with `lrs`), the lr panel has one line per group.
 */
export function lrPlotSpec(rows: readonly ScheduleRow[], { title = 'schedule', logLr = false } = {}): TopLevelSpec {
  // A constant series (e.g. momentum in lr_find) gets a domain around its value, not a zero-width one.
  const grouped = rows.some((r) => (r.lrs?.length ?? 0) > 1);
  const flatDomain = (field: 'lr' | 'momentum') => {
    const v = (field === 'lr' && grouped ? rows.flatMap((r) => r.lrs ?? [r.lr]) : rows.map((r) => r[field])).filter(
      (x): x is number => typeof x === 'number',
    );
    return v.length > 0 && Math.min(...v) === Math.max(...v) ? { domain: [v[0] * 0.9, v[0] * 1.1] } : {};
  };
  const panel = (field: 'lr' | 'momentum', axisTitle: string) => ({
    width: 360,
    height: 240,
    title: axisTitle,
    mark: { type: 'line' as const, strokeWidth: 2 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative' as const, title: 'iteration' },
      y: {
        field,
        type: 'quantitative' as const,
        title: field === 'lr' && logLr ? `${axisTitle} (log scale)` : axisTitle,
        scale: field === 'lr' && logLr ? { type: 'log' as const } : { zero: false, ...flatDomain(field) },
      },
      ...(field === 'lr' && grouped && { color: { field: 'group', type: 'nominal' as const, title: 'layer group' } }),
    },
    // One row per (iteration, group) for the per-group lines.
    ...(field === 'lr' &&
      grouped && {
        data: {
          values: rows.flatMap((r) =>
            (r.lrs ?? [r.lr]).map((lr, g) => ({ iteration: r.iteration, group: `group ${g}`, lr })),
          ),
        },
      }),
  });
  const hasMomentum = rows.some((r) => typeof r.momentum === 'number');
  const data = { values: rows.map((r) => ({ iteration: r.iteration, lr: r.lr, momentum: r.momentum ?? null })) };
  return {
    title,
    data,
    hconcat: hasMomentum
      ? [panel('lr', 'learning rate'), panel('momentum', 'momentum')]
      : [panel('lr', 'learning rate')],
  };
}
