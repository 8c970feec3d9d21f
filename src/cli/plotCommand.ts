import { parseArgs } from 'node:util';
import { ConfigError } from '../shared/config/index.js';
import { lrFindTextChart, renderRunPlots } from '../reporting/index.js';
import { parseInteger } from './parseNumberList.js';

export const PLOT_HELP = `superconverge plot: re-render a run's plots and report.html from its records

  superconverge plot RUN_DIR [--skip-start N] [--skip-end N]

  Writes into RUN_DIR, from whichever records it holds:
    lr.png/.svg       learning rate and momentum against the iteration (metrics.jsonl or lr_find.jsonl)
    loss.png/.svg     training and validation loss, accuracy per epoch (metrics.jsonl, epochs.csv)
    lr_find.png/.svg  loss and accuracy against the lr, log axis, smoothed (lr_find.jsonl; summary.json's suggestion)
    report.html       one self-contained page: results, plots, epochs, config
  --skip-start N  lr_find plot: leave out the first N points of each curve (default 10)
  --skip-end N    lr_find plot: leave out the last N points of each curve (default 5)
`;

/** Renders the run's plots and report, prints the files written (and lr_find's curve as a text chart). */
export async function plotCommand(argv: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { 'skip-start': { type: 'string' }, 'skip-end': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return void out.write(PLOT_HELP);
  if (positionals.length !== 1)
    throw new ConfigError(
      `plot takes one run directory, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    );
  const skip = (flag: 'skip-start' | 'skip-end') => {
    const v = values[flag];
    return v === undefined ? undefined : parseInteger(`--${flag}`, v);
  };
  const skipStart = skip('skip-start');
  const skipEnd = skip('skip-end');
  const { run, files } = await renderRunPlots(positionals[0], { skipStart, skipEnd });
  if (run.lrFind) {
    const firstWd = run.lrFind[0].wd;
    const curve = run.lrFind.filter((r) => r.wd === firstWd);
    if (firstWd !== undefined) out.write(`(weight decay ${firstWd}; lr_find.png has every curve)\n`);
    out.write(lrFindTextChart(curve, { suggestion: run.summary?.suggestion?.lr, skipStart, skipEnd }) + '\n\n');
  }
  out.write(files.map((f) => `wrote ${f}\n`).join(''));
}
