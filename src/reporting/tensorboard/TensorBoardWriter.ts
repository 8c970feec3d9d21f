import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { FitCallback, FitContext } from '../../coordinator/index.js';
import type { EpochRecord, StepRecord } from '../records/index.js';
import { encodeEvent } from './encodeEvent.js';
import { frameRecord } from './tfRecord.js';

interface TensorBoardWriterOptions {
  /** Subdirectory of the log dir for this run (TensorBoard's run name): the run directory's name. */
  runName?: string;
  /** Wall clock in seconds (tests pin it): Date.now() / 1000. */
  clock?: () => number;
}

/** A step record that may also carry lr_find's validation loss and accuracy. */
type StepWithEval = StepRecord & { valLoss?: number; accuracy?: number };

/**
 * Writes a run's scalars as a TensorBoard event file (`tensorboard --logdir DIR`): lr, momentum, loss, smoothLoss and
 * trainAccuracy per iteration; valLoss and accuracy per epoch (or per iteration where the record has them, as
 * lr_find's). Each event is written as it happens, so a crashed run keeps its curves.
 */
export class TensorBoardWriter implements FitCallback {
  /** The event file, once opened. */
  file?: string;
  private fd?: number;
  private lastStep = 0;
  private readonly clock: () => number;
  constructor(
    private readonly logDir: string,
    private readonly opts: TensorBoardWriterOptions = {},
  ) {
    this.clock = opts.clock ?? (() => Date.now() / 1000);
  }

  /** Opens a new event file in logDir/runName and writes the file-version event. */
  open(runName: string): string {
    if (this.fd !== undefined) this.close();
    const dir = path.resolve(this.logDir, runName);
    mkdirSync(dir, { recursive: true });
    const now = this.clock();
    const file = path.join(dir, `events.out.tfevents.${Math.floor(now)}.${hostname()}.${process.pid}`);
    try {
      this.fd = openSync(file, 'w');
    } catch (e) {
      throw new Error(`TensorBoard: cannot create event file ${file}: ${(e as Error).message}`, { cause: e });
    }
    this.file = file;
    this.write(encodeEvent({ wallTime: now, step: 0, fileVersion: 'brain.Event:2' }));
    return file;
  }

  /** Writes scalars for one step; non-numbers are skipped. */
  addScalars(step: number, values: Record<string, number | undefined>): void {
    const scalars = Object.entries(values)
      .filter((kv): kv is [string, number] => typeof kv[1] === 'number')
      .map(([tag, value]) => ({ tag, value }));
    if (scalars.length > 0) this.write(encodeEvent({ wallTime: this.clock(), step, scalars }));
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  beforeFit(ctx: FitContext): void {
    this.open(this.opts.runName ?? path.basename(ctx.runDir));
  }

  afterStep(_ctx: FitContext, rec: StepWithEval): void {
    this.lastStep = rec.iteration;
    this.addScalars(rec.iteration, {
      lr: rec.lr,
      momentum: rec.momentum,
      loss: rec.loss,
      smoothLoss: rec.smoothLoss,
      trainAccuracy: rec.trainAccuracy,
      valLoss: rec.valLoss,
      accuracy: rec.accuracy,
    });
  }

  afterEpoch(_ctx: FitContext, rec: EpochRecord): void {
    this.addScalars(this.lastStep, { valLoss: rec.valLoss, accuracy: rec.accuracy, trainLoss: rec.trainLoss });
  }

  afterFit(): void {
    this.close();
  }

  private write(event: Buffer): void {
    if (this.fd === undefined)
      throw new Error('TensorBoardWriter: no event file open (call open() or run it as a fit callback)');
    writeSync(this.fd, frameRecord(event));
  }
}
