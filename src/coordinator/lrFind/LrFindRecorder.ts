import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { RECORD_FILES, type LrFindRecord, type StepRecord } from '../../reporting/index.js';
import type { FitCallback, FitContext } from '../FitCallback.js';

/**
 * lr_find2's callback: after every iteration it evaluates the next validation batch (sharded across the workers,
 * reduced by the coordinator), records it, and stops when the smoothed training loss explodes (stop_dv): above 4x
 * the best seen from iteration 10 on, or not finite.
 */
export class LrFindRecorder implements FitCallback {
  readonly records: LrFindRecord[] = [];
  private best = Infinity;
  constructor(private readonly o: { valBatchSize: number; stopDiv: boolean; wd?: number; wds?: number[] }) {}

  async afterStep(ctx: FitContext, s: StepRecord): Promise<void> {
    const v = await ctx.cluster.evaluate(this.records.length, this.o.valBatchSize);
    const rec: LrFindRecord = {
      iteration: s.iteration,
      lr: s.lr,
      ...(s.lrs && { lrs: s.lrs }),
      momentum: s.momentum,
      loss: s.loss,
      smoothLoss: s.smoothLoss,
      valLoss: v.lossSum / v.count,
      accuracy: v.correct / v.count,
    };
    if (this.o.wd !== undefined) rec.wd = this.o.wd;
    if (this.o.wds !== undefined) rec.wds = this.o.wds;
    this.records.push(rec);
    appendFileSync(path.join(ctx.runDir, RECORD_FILES.lrFind), JSON.stringify(rec) + '\n');
    if (!this.o.stopDiv) return;
    if (!Number.isFinite(s.smoothLoss))
      return ctx.stop(`the loss became ${s.smoothLoss} at lr ${s.lr.toExponential(2)}`);
    if (s.iteration >= 10 && s.smoothLoss > 4 * this.best) {
      return ctx.stop(
        `the smoothed loss ${s.smoothLoss.toFixed(3)} exceeded 4x the best (${this.best.toFixed(3)}) at lr ${s.lr.toExponential(2)}`,
      );
    }
    if (s.iteration >= 10) this.best = Math.min(this.best, s.smoothLoss);
  }
}
