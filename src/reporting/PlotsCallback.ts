import type { FitCallback, FitContext } from '../coordinator/index.js';
import { renderRunPlots, type RunPlotOptions } from './renderRunPlots.js';

/**
 * Renders the run's plots and report.html at the end of fit or lr_find, from the records the Recorder wrote. A
 * plotting failure is logged as an error, not thrown: training is done and its records are safe, and
 * `superconverge plot RUN_DIR` re-renders them. summary.json is written after the loop, so the report falls back to
 * the last epoch and the context for the final metrics; call renderRunPlots again after writing it for the full report.
 */
export class PlotsCallback implements FitCallback {
  /** Files written at the last afterFit. */
  files: string[] = [];
  constructor(private readonly opts: RunPlotOptions = {}) {}

  async afterFit(ctx: FitContext): Promise<void> {
    try {
      const r = await renderRunPlots(ctx.runDir, {
        workers: ctx.cluster.size,
        config: { ...ctx.config },
        ...this.opts,
      });
      this.files = r.files;
      ctx.log.info({ files: r.files.map((f) => f.slice(ctx.runDir.length + 1)) }, `plots and report in ${ctx.runDir}`);
    } catch (e) {
      ctx.log.error(
        { err: e },
        `could not render the plots for ${ctx.runDir}: ${(e as Error).message} (retry: superconverge plot ${ctx.runDir})`,
      );
    }
  }
}
