import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FitCallback, FitContext } from '../../coordinator/index.js';
import {
  EPOCH_COLUMNS,
  EVAL_COLUMNS,
  RECORD_FILES,
  type EpochRecord,
  type EvalRecord,
  type StepRecord,
} from './records.js';

const EPOCHS_HEADER = EPOCH_COLUMNS.join(',');
const EVALS_HEADER = EVAL_COLUMNS.join(',');

/**
 * Records every iteration to metrics.jsonl, every epoch to epochs.csv and every evaluation to evals.csv in the run
 * directory, as they happen (appended, so a crash loses nothing already recorded), and keeps the epochs and
 * evaluations in memory for the run's summary.
 */
export class Recorder implements FitCallback {
  readonly epochs: EpochRecord[] = [];
  readonly evals: EvalRecord[] = [];
  private resumed = false;

  /**
   * Continues a run from a checkpoint at `nextIteration`: keeps the records of the steps before it and of the epochs
   * finished by then (rewriting the files without the later ones), so the run's records read as one.
   */
  resume(runDir: string, nextIteration: number, iterationsPerEpoch: number): void {
    const stepsFile = path.join(runDir, RECORD_FILES.steps);
    const epochsFile = path.join(runDir, RECORD_FILES.epochs);
    const steps = existsSync(stepsFile)
      ? readFileSync(stepsFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .flatMap((l) => {
            try {
              return [JSON.parse(l) as StepRecord];
            } catch {
              return [];
            } // a line cut short by the crash
          })
          .filter((r) => r.iteration < nextIteration)
      : [];
    const finishedEpochs = Math.floor(nextIteration / iterationsPerEpoch);
    const rows = existsSync(epochsFile)
      ? readFileSync(epochsFile, 'utf8')
          .split('\n')
          .slice(1)
          .filter((l) => l.trim() !== '')
      : [];
    const keptRows = rows.filter((row) => Number(row.split(',')[0]) < finishedEpochs);
    const evalsFile = path.join(runDir, RECORD_FILES.evals);
    const evalRows = existsSync(evalsFile)
      ? readFileSync(evalsFile, 'utf8')
          .split('\n')
          .slice(1)
          .filter((l) => l.trim() !== '')
      : [];
    const keptEvals = evalRows.filter((row) => Number(row.split(',')[0]) <= nextIteration);
    this.epochs.push(...keptRows.map(parseEpochRow));
    this.evals.push(...keptEvals.map(parseEvalRow));
    writeFileSync(stepsFile, steps.map((r) => JSON.stringify(r) + '\n').join(''));
    writeFileSync(epochsFile, [EPOCHS_HEADER, ...keptRows].join('\n') + '\n');
    writeFileSync(evalsFile, [EVALS_HEADER, ...keptEvals].join('\n') + '\n');
    this.resumed = true;
  }

  beforeFit(ctx: FitContext): void {
    if (this.resumed) return;
    mkdirSync(ctx.runDir, { recursive: true });
    writeFileSync(path.join(ctx.runDir, RECORD_FILES.steps), '');
    writeFileSync(path.join(ctx.runDir, RECORD_FILES.epochs), EPOCHS_HEADER + '\n');
    writeFileSync(path.join(ctx.runDir, RECORD_FILES.evals), EVALS_HEADER + '\n');
  }

  afterStep(ctx: FitContext, rec: StepRecord): void {
    appendFileSync(path.join(ctx.runDir, RECORD_FILES.steps), JSON.stringify(rec) + '\n');
  }

  afterEval(ctx: FitContext, rec: EvalRecord): void {
    this.evals.push(rec);
    appendFileSync(path.join(ctx.runDir, RECORD_FILES.evals), EVAL_COLUMNS.map((c) => rec[c]).join(',') + '\n');
  }

  afterEpoch(ctx: FitContext, rec: EpochRecord): void {
    this.epochs.push(rec);
    const row = [
      rec.epoch,
      rec.trainLoss,
      rec.valLoss,
      rec.accuracy,
      rec.seconds.toFixed(3),
      rec.imagesPerSecond.toFixed(1),
    ];
    appendFileSync(path.join(ctx.runDir, RECORD_FILES.epochs), row.join(',') + '\n');
  }
}

function parseEpochRow(row: string): EpochRecord {
  const [epoch, trainLoss, valLoss, accuracy, seconds, imagesPerSecond] = row.split(',').map(Number);
  return { epoch, trainLoss, valLoss, accuracy, seconds, imagesPerSecond };
}

function parseEvalRow(row: string): EvalRecord {
  const [iterations, epoch, valLoss, accuracy] = row.split(',').map(Number);
  return { iterations, epoch, valLoss, accuracy };
}
