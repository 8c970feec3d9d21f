import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderReport, type ReportContext, type ReportPlot } from './report/index.js';
import { lossPlotSpec, lrFindPlotSpec, lrPlotSpec, renderSpec } from './plots/index.js';
import { readRun, type RunRecords } from './records/index.js';

export interface RunPlotOptions extends ReportContext {
  /** lr_find plot: points left out at the start and end of each curve (10 and 5). */
  skipStart?: number;
  skipEnd?: number;
  /** PNG pixels per SVG unit: 2. */
  scale?: number;
}

interface RunPlotResult {
  run: RunRecords;
  /** Absolute paths of the files written, in order. */
  files: string[];
}

/** The plots a run's records allow: lr (the schedule), loss (a fit), lr_find (an lr_find run). */
function plotSpecsFor(
  run: RunRecords,
  opts: RunPlotOptions = {},
): { name: string; caption: string; spec: TopLevelSpec }[] {
  const specs: { name: string; caption: string; spec: TopLevelSpec }[] = [];
  const schedule = run.steps ?? run.lrFind?.filter((r) => r.wd === undefined || r.wd === run.lrFind?.[0].wd);
  if (run.lrFind) {
    specs.push({
      name: 'lr_find',
      caption: 'Loss and accuracy against the learning rate (smoothed; log scale)',
      spec: lrFindPlotSpec(run.lrFind, {
        skipStart: opts.skipStart,
        skipEnd: opts.skipEnd,
        suggestion: run.summary?.suggestion?.lr,
      }),
    });
  }
  if (run.steps || run.epochs) {
    specs.push({
      name: 'loss',
      caption: 'Training and validation loss; accuracy per epoch',
      spec: lossPlotSpec(run.steps, run.epochs),
    });
  }
  if (schedule)
    specs.push({
      name: 'lr',
      caption: 'Learning rate and momentum schedule',
      spec: lrPlotSpec(schedule, { logLr: !run.steps }),
    });
  return specs;
}

/**
 * Renders every plot the run directory's records allow, as NAME.svg and NAME.png, and report.html embedding them.
 * Throws PlotError for a missing or empty run directory or a malformed record.
 */
export async function renderRunPlots(runDir: string, opts: RunPlotOptions = {}): Promise<RunPlotResult> {
  const run = readRun(runDir);
  const files: string[] = [];
  const embedded: ReportPlot[] = [];
  for (const { name, caption, spec } of plotSpecsFor(run, opts)) {
    const plot = await renderSpec(spec, `${name} plot for ${run.dir}`, opts.scale ?? 2);
    const svgFile = path.join(run.dir, `${name}.svg`);
    const pngFile = path.join(run.dir, `${name}.png`);
    writeFileSync(svgFile, plot.svg);
    writeFileSync(pngFile, plot.png);
    files.push(svgFile, pngFile);
    embedded.push({ name, caption, svg: plot.svg });
  }
  const report = path.join(run.dir, 'report.html');
  writeFileSync(report, renderReport(run, embedded, opts));
  files.push(report);
  return { run, files };
}
