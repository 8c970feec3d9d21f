import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EpochRecord, FitCallback, FitContext, StepRecord } from './FitCallback.js';

/**
 * Records every iteration to metrics.jsonl and every epoch to epochs.csv in the run directory, as they happen
 * (appended, so a crash loses nothing already recorded), and keeps them in memory for plots.
 */
export class Recorder implements FitCallback {
  readonly steps: StepRecord[] = [];
  readonly epochs: EpochRecord[] = [];
  constructor(private readonly files = { steps: 'metrics.jsonl', epochs: 'epochs.csv' }) {}

  beforeFit(ctx: FitContext): void {
    mkdirSync(ctx.runDir, { recursive: true });
    writeFileSync(path.join(ctx.runDir, this.files.steps), '');
    writeFileSync(path.join(ctx.runDir, this.files.epochs), 'epoch,trainLoss,valLoss,accuracy,seconds,imagesPerSecond\n');
  }

  afterStep(ctx: FitContext, rec: StepRecord): void {
    this.steps.push(rec);
    appendFileSync(path.join(ctx.runDir, this.files.steps), JSON.stringify(rec) + '\n');
  }

  afterEpoch(ctx: FitContext, rec: EpochRecord): void {
    this.epochs.push(rec);
    const row = [rec.epoch, rec.trainLoss, rec.valLoss, rec.accuracy, rec.seconds.toFixed(3), rec.imagesPerSecond.toFixed(1)];
    appendFileSync(path.join(ctx.runDir, this.files.epochs), row.join(',') + '\n');
  }
}
