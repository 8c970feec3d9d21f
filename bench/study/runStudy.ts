import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FASHION_MNIST_DIR } from '../../src/data/index.js';
import { createLogger, type Logger } from '../../src/shared/log/index.js';
import { armsOf } from './armsOf.js';
import { compareArms, type ArmResult } from './compareArms.js';
import { findLr, type LrChoice } from './findLr.js';
import { readArm, runArm } from './runArm.js';
import type { StudyPlan } from './StudyPlan.js';
import { writeStudyReport, type StudyResult } from './studyReport.js';

/** A study that cannot start as asked (missing data, nothing to report): the message says what to do. */
export class StudyUsageError extends Error {
  override name = 'StudyUsageError';
}

export interface StudyOptions {
  /** Where every run and the report go. */
  out: string;
  /** Delete `out` first instead of continuing what it holds. */
  fresh?: boolean;
  /** Train nothing: report what `out` holds (finished and unfinished runs). */
  reportOnly?: boolean;
  logger?: Logger;
  /** Where the full Fashion-MNIST is looked for (default Debian's). */
  fashionMnistDir?: string;
  /**
   * Aborting it (Ctrl-C) stops the run in flight after its current step (a training run with a checkpoint there, so
   * the same command continues it) and rejects with its TrainingInterruptedError, after rewriting the report.
   */
  signal?: AbortSignal;
}

/**
 * Runs (or continues) a study: lr_find2 at the main batch, then every arm in order, rewriting the report (study.md,
 * study.json, accuracy.png) after each so that an interrupted study still has one. Returns the final report's data.
 */
export async function runStudy(plan: StudyPlan, o: StudyOptions): Promise<StudyResult> {
  if (plan.base.data === 'fashion-mnist' && !existsSync(o.fashionMnistDir ?? FASHION_MNIST_DIR)) {
    throw new StudyUsageError(
      `the ${plan.name} study trains on the full Fashion-MNIST, expected in ${o.fashionMnistDir ?? FASHION_MNIST_DIR}: ` +
        'install it with `sudo apt-get install dataset-fashion-mnist` (or run the scaled-down study: npm run study)',
    );
  }
  const out = path.resolve(o.out);
  if (o.fresh) rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const log = o.logger ?? createLogger();
  const t0 = performance.now();
  const reportOnly = o.reportOnly ?? false;
  const lrFindAt = async (name: string, batchSize: number, numIt: number): Promise<LrChoice | undefined> => {
    if (reportOnly && !existsSync(path.join(out, name, 'summary.json'))) return undefined;
    return findLr(out, name, { ...plan.base, batchSize }, { ...plan.lrFind, numIt }, log, o.signal);
  };
  const main = await lrFindAt('lr-find', plan.batchSize, plan.lrFind.numIt);
  if (!main)
    throw new StudyUsageError(
      `--report-only: ${path.join(out, 'lr-find')} has no lr_find results yet; run the study first`,
    );
  log.info(`study: one-cycle max lr ${main.lr.toPrecision(3)}, wd ${main.wd}: ${main.wdChoice.why}`);
  let large: LrChoice | undefined;
  const findLarge = async (): Promise<LrChoice | undefined> => {
    const lb = plan.largeBatch;
    large = lb && (await lrFindAt(`lr-find-batch${lb.batchSize}`, lb.batchSize, lb.numIt));
    return large;
  };
  const arms: ArmResult[] = [];
  let result: StudyResult | undefined;
  const report = async (): Promise<void> => {
    result = {
      plan,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      wallSeconds: (performance.now() - t0) / 1000,
      lrChoice: main,
      largeBatchLrChoice: large,
      arms: [...arms],
      comparisons: compareArms(arms, plan.targets),
    };
    await writeStudyReport(out, result);
  };
  for (const next of armsOf(plan, main, findLarge)) {
    const spec = await next();
    if (!spec) continue;
    const arm = reportOnly
      ? readArm(out, spec)
      : await runArm(out, spec, log, o.signal).catch(async (e: unknown) => {
          const soFar = readArm(out, spec); // the report shows the interrupted run's curve too
          if (soFar) arms.push(soFar);
          await report();
          throw e;
        });
    if (arm) arms.push(arm);
    await report();
  }
  if (!result) await report();
  log.info(`study: report in ${path.join(out, 'study.md')}`);
  return result!;
}
