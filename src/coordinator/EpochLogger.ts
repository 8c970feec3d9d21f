import type { EpochRecord } from '../reporting/index.js';
import type { FitCallback, FitContext } from './FitCallback.js';

/** Logs each epoch's results. */
export class EpochLogger implements FitCallback {
  afterEpoch(ctx: FitContext, r: EpochRecord): void {
    ctx.log.info(
      {
        trainLoss: +r.trainLoss.toFixed(4),
        valLoss: +r.valLoss.toFixed(4),
        accuracy: +r.accuracy.toFixed(4),
        imagesPerSecond: Math.round(r.imagesPerSecond),
        seconds: +r.seconds.toFixed(1),
      },
      `epoch ${r.epoch + 1} done`,
    );
  }
}
