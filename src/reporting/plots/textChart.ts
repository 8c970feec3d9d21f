export interface TextChartOptions {
  /** Plot area in characters (the y labels and the x axis come on top): 60 x 15. */
  width?: number;
  height?: number;
  /** Log-scale x axis (for learning rates): true. */
  logX?: boolean;
  /** An x value to mark with a vertical line of '|' and a '^' under the axis (e.g. the suggested lr). */
  markX?: number;
  /** Label printed after the '^' (default: the value of markX). */
  markLabel?: string;
  xLabel?: string;
  yLabel?: string;
}

interface Point2 {
  x: number;
  y: number;
}

/** Whole numbers as they are; others to three significant digits, in exponent form when very small or large. */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e9) return String(v);
  if (a !== 0 && (a < 1e-2 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/**
 * A chart for the terminal: y against x (log x by default), one '*' per column at the mean y of the points that
 * fall in it, y range on the left, x range under the axis, and `markX` drawn as a column of '|' with '^' under it.
 */
export function textChart(points: readonly Point2[], opts: TextChartOptions = {}): string {
  const width = opts.width ?? 60;
  const height = opts.height ?? 15;
  const logX = opts.logX ?? true;
  if (!(Number.isInteger(width) && width >= 2 && Number.isInteger(height) && height >= 2)) {
    throw new RangeError(`textChart: width and height must be whole numbers >= 2, got ${width} x ${height}`);
  }
  const tx = (x: number) => (logX ? Math.log10(x) : x);
  const pts = points.filter((p) => Number.isFinite(p.y) && Number.isFinite(tx(p.x)));
  if (pts.length === 0) return '(no points to chart)';
  const xs = pts.map((p) => tx(p.x));
  const ys = pts.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const col = (x: number) => (x1 === x0 ? 0 : Math.round(((tx(x) - x0) / (x1 - x0)) * (width - 1)));
  const row = (y: number) => (y1 === y0 ? height - 1 : Math.round(((y1 - y) / (y1 - y0)) * (height - 1)));

  const sums = new Array<number>(width).fill(0);
  const counts = new Array<number>(width).fill(0);
  for (const p of pts) {
    const c = col(p.x);
    sums[c] += p.y;
    counts[c] += 1;
  }
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  const markCol = opts.markX !== undefined && Number.isFinite(tx(opts.markX)) ? col(opts.markX) : undefined;
  const markInside = markCol !== undefined && markCol >= 0 && markCol < width;
  if (markInside) for (const line of grid) line[markCol] = '|';
  counts.forEach((n, c) => {
    if (n > 0) grid[row(sums[c] / n)][c] = '*';
  });

  const top = formatNumber(y1);
  const bottom = formatNumber(y0);
  const pad = Math.max(top.length, bottom.length);
  const lines: string[] = [];
  if (opts.yLabel) lines.push(opts.yLabel);
  grid.forEach((line, r) => {
    const label = r === 0 ? top : r === height - 1 ? bottom : '';
    lines.push(`${label.padStart(pad)} |${line.join('').trimEnd()}`);
  });
  lines.push(`${' '.repeat(pad)} +${'-'.repeat(width)}`);
  const left = formatNumber(logX ? 10 ** x0 : x0);
  const right = formatNumber(logX ? 10 ** x1 : x1);
  lines.push(
    `${' '.repeat(pad + 2)}${left}${right.padStart(width - left.length)}${opts.xLabel ? `  ${opts.xLabel}` : ''}`,
  );
  if (opts.markX !== undefined) {
    const label = opts.markLabel ?? formatNumber(opts.markX);
    lines.push(markInside ? `${' '.repeat(pad + 2 + markCol)}^ ${label}` : `(${label} is outside the plotted range)`);
  }
  return lines.join('\n');
}
