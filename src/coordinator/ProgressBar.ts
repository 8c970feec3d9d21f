import { performance } from 'node:perf_hooks';
import type { EpochRecord, StepRecord } from '../reporting/index.js';
import type { FitCallback, FitContext } from './FitCallback.js';

/** A progress bar per epoch on a terminal (loss, accuracy, images/s, ETA); silent when stderr is not a TTY. */
export class ProgressBar implements FitCallback {
  private epochStart = 0;
  private images = 0;
  private readonly enabled: boolean;
  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(out.isTTY);
  }

  beforeEpoch(_ctx: FitContext): void {
    this.epochStart = performance.now();
    this.images = 0;
  }

  afterStep(ctx: FitContext, rec: StepRecord): void {
    if (!this.enabled) return;
    const done = (rec.iteration % ctx.iterationsPerEpoch) + 1;
    const total = Math.min(ctx.iterationsPerEpoch, ctx.totalIterations - rec.epoch * ctx.iterationsPerEpoch);
    this.images += ctx.config.batchSize;
    const secs = (performance.now() - this.epochStart) / 1000;
    const rate = this.images / Math.max(secs, 1e-9);
    const eta = ((total - done) * ctx.config.batchSize) / Math.max(rate, 1e-9);
    const width = 24;
    const filled = Math.round((done / total) * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.out.write(
      `\repoch ${rec.epoch + 1} [${bar}] ${done}/${total} loss ${rec.smoothLoss.toFixed(4)} acc ${(rec.trainAccuracy * 100).toFixed(1)}% ` +
        `${rate.toFixed(0)} img/s ETA ${eta.toFixed(0)}s   `,
    );
  }

  afterEpoch(_ctx: FitContext, _rec: EpochRecord): void {
    if (this.enabled) this.out.write('\r\x1b[K');
  }
}
