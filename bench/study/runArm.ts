import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fit, type FitConfig } from '../../src/index.js';
import type { Logger } from '../../src/shared/log/index.js';
import type { ArmKind, ArmResult } from './compareArms.js';

export interface ArmSpec {
  name: string;
  kind: ArmKind;
  config: Partial<FitConfig>;
}

function readEvals(dir: string): { iterations: number; accuracy: number }[] {
  const file = path.join(dir, 'evals.csv');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).filter((l) => l !== '').map((l) => {
    const [iterations, , , accuracy] = l.split(',').map(Number);
    return { iterations, accuracy };
  });
}

/**
 * Training time of a run (s): its steps' wall times summed from metrics.jsonl, which holds every step once however
 * often the run was resumed (epochs.csv times an epoch only from its last resume); epochs.csv where there is none.
 */
function trainingSeconds(dir: string, epochRows: string[]): number {
  const file = path.join(dir, 'metrics.jsonl');
  if (!existsSync(file)) return epochRows.reduce((s, row) => s + Number(row.split(',')[4]), 0);
  let ms = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() !== '') ms += (JSON.parse(line) as { stepMs: number }).stepMs;
  }
  return ms / 1000;
}

/** Written in an arm's directory when its loss went NaN or infinite: the arm is over, with this message. */
const DIVERGED = 'diverged.txt';

function hasCheckpoint(dir: string): boolean {
  const c = path.join(dir, 'checkpoints');
  return existsSync(c) && readdirSync(c).some((f) => f.endsWith('.ckpt'));
}

/**
 * Trains one arm of the study in `root/<name>`, or picks it up: a finished run (summary.json) is read back, not
 * retrained; an interrupted one (a checkpoint, no summary) is resumed where it stopped with fit's --resume. The arm's
 * config is saved as arm.json first; a directory holding a different arm is refused rather than mixed.
 */
export async function runArm(root: string, spec: ArmSpec, log: Logger, signal?: AbortSignal): Promise<ArmResult> {
  const dir = path.join(root, spec.name);
  const specFile = path.join(dir, 'arm.json');
  const wanted = JSON.stringify({ kind: spec.kind, config: { ...spec.config, out: undefined } }, null, 2);
  if (existsSync(specFile) && readFileSync(specFile, 'utf8') !== wanted) {
    throw new Error(`${dir} holds a different run than the study's ${spec.name} now asks for (see its arm.json); move it away or run with --fresh`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(specFile, wanted);
  const summaryFile = path.join(dir, 'summary.json');
  if (!existsSync(summaryFile) && !existsSync(path.join(dir, DIVERGED))) {
    const resume = hasCheckpoint(dir);
    log.info(`study: ${resume ? 'resuming' : 'training'} ${spec.name} in ${dir}`);
    try {
      // Not resumed: records of a start interrupted before its first checkpoint are replaced (arm.json is kept).
      await fit(resume ? {} : { ...spec.config, out: dir }, { logger: log, signal, ...(resume ? { resume: dir } : { overwrite: true }) });
    } catch (e) {
      // A run whose loss went NaN is a result (this lr diverges), not a reason to stop the study.
      if (!(e instanceof Error && e.cause instanceof Error && e.cause.name === 'NonFiniteLossError')) throw e;
      writeFileSync(path.join(dir, DIVERGED), e.cause.message + '\n');
      log.warn(`study: ${spec.name} diverged: ${e.cause.message}`);
    }
  } else {
    log.info(`study: ${spec.name} already finished in ${dir}; reading its results`);
  }
  return readArm(root, spec)!;
}

/**
 * An arm's results as its directory holds them: finished (summary.json), or so far (an interrupted run's
 * evaluations, marked unfinished), or undefined when it has not started.
 */
export function readArm(root: string, spec: ArmSpec): ArmResult | undefined {
  const dir = path.join(root, spec.name);
  const summaryFile = path.join(dir, 'summary.json');
  const curve = readEvals(dir);
  const epochsFile = path.join(dir, 'epochs.csv');
  const epochRows = existsSync(epochsFile) ? readFileSync(epochsFile, 'utf8').trim().split('\n').slice(1).filter((l) => l !== '') : [];
  const seconds = trainingSeconds(dir, epochRows);
  const c = spec.config;
  if (existsSync(summaryFile)) {
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
      accuracy: number; iterations: number; epochs: number; imagesPerSecond: number; config: FitConfig;
    };
    return {
      name: spec.name, kind: spec.kind, batchSize: summary.config.batchSize, lr: summary.config.lr, wd: summary.config.wd,
      iterations: summary.iterations, epochs: summary.epochs, curve, finalAccuracy: summary.accuracy,
      seconds, imagesPerSecond: summary.imagesPerSecond, finished: true,
    };
  }
  const diverged = existsSync(path.join(dir, DIVERGED)) ? readFileSync(path.join(dir, DIVERGED), 'utf8').trim() : undefined;
  if (curve.length === 0 && !diverged) return undefined;
  const rates = epochRows.map((row) => Number(row.split(',')[5]));
  return {
    name: spec.name, kind: spec.kind, batchSize: c.batchSize ?? 0, lr: c.lr ?? 0, wd: c.wd ?? 0,
    iterations: curve.at(-1)?.iterations ?? 0, epochs: c.epochs ?? 0, curve, finalAccuracy: curve.at(-1)?.accuracy ?? 0,
    seconds, imagesPerSecond: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : 0, finished: diverged !== undefined,
    ...(diverged && { diverged }),
  };
}
