/**
 * `npm run study`: the super-convergence study. lr_find2 picks the one-cycle's max lr and weight decay; one-cycle
 * with cyclical momentum is trained against a constant and a step schedule (momentum 0.9) over a grid of epoch
 * budgets, and again at a large batch; the report gives the iterations each needs to reach the target accuracies.
 *
 *   npm run study                  the scaled-down study on the shipped sample (minutes)
 *   npm run study -- --full        the full study on all of Fashion-MNIST (hours; apt-get install dataset-fashion-mnist)
 *   options: --out DIR (default bench/results/study-<plan>), --fresh (start over), --report-only (no training)
 *
 * Every run keeps its own directory under DIR with checkpoints: an interrupted study continues where it stopped when
 * the same command runs again, and finished runs are read back, not retrained.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FASHION_MNIST_DIR } from '../src/shared/data/index.js';
import { createLogger } from '../src/shared/log/index.js';
import { compareArms, type ArmResult } from './study/compareArms.js';
import { findLr, type LrChoice } from './study/findLr.js';
import { readArm, runArm, type ArmSpec } from './study/runArm.js';
import { STUDY_PLANS, type StudyPlan } from './study/StudyPlan.js';
import { writeStudyReport, type StudyResult } from './study/studyReport.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Every arm of the plan, in the order they are trained: the shortest one-cycle and the shortest step baseline first,
 * so that an interrupted study already has a comparison, then the other one-cycles, the large batch, the other step
 * budgets and the long constant run. `large` is lr_find2's choice at the large batch, looked up when its arm comes.
 */
function armsOf(plan: StudyPlan, main: LrChoice, large: () => Promise<LrChoice | undefined>): (() => Promise<ArmSpec | undefined>)[] {
  const base = { ...plan.base, batchSize: plan.batchSize, evalEvery: plan.evalEvery, checkpointEvery: plan.checkpointEvery };
  const { div, pct, maxMomentum, minMomentum } = plan.oneCycle;
  const oneCycle = { schedule: 'one-cycle' as const, oneCycle: { div, pct, maxMomentum, minMomentum } };
  const b = plan.baseline;
  const baseline = { lr: b.lr, momentum: b.momentum, wd: main.wd };
  const oneCycles = [...plan.oneCycle.epochs].sort((x, y) => x - y).map((epochs): ArmSpec => ({
    name: `one-cycle-${epochs}ep`, kind: 'one-cycle', config: { ...base, ...oneCycle, lr: main.lr, wd: main.wd, epochs },
  }));
  const steps = [...b.stepEpochs].sort((x, y) => x - y).map((epochs): ArmSpec => ({
    name: `step-${epochs}ep`, kind: 'step',
    config: { ...base, ...baseline, schedule: 'step', stepMilestones: b.stepMilestones, stepGamma: b.stepGamma, epochs },
  }));
  const constant: ArmSpec = { name: `constant-${b.constantEpochs}ep`, kind: 'constant', config: { ...base, ...baseline, schedule: 'constant', epochs: b.constantEpochs } };
  const lb = plan.largeBatch;
  const largeArm = async (): Promise<ArmSpec | undefined> => {
    const choice = lb && (await large());
    if (!lb || !choice) return undefined;
    const scale = plan.batchSize / lb.batchSize;
    return {
      name: `one-cycle-${lb.epochs}ep-batch${lb.batchSize}`, kind: 'one-cycle-large-batch',
      config: {
        ...base, ...oneCycle, batchSize: lb.batchSize, lr: choice.lr, wd: choice.wd, epochs: lb.epochs,
        evalEvery: Math.max(1, Math.round(plan.evalEvery * scale)), checkpointEvery: Math.max(1, Math.round(plan.checkpointEvery * scale)),
      },
    };
  };
  const ready = (a: ArmSpec) => async (): Promise<ArmSpec | undefined> => a;
  return [...oneCycles.slice(0, 1).map(ready), ...steps.slice(0, 1).map(ready), ...oneCycles.slice(1).map(ready), largeArm, ...steps.slice(1).map(ready), ready(constant)];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean' }, plan: { type: 'string' }, out: { type: 'string' }, fresh: { type: 'boolean' },
      'report-only': { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write('npm run study [-- --full | --plan quick|full] [--out DIR] [--fresh] [--report-only]\n');
    return;
  }
  const planName = values.plan ?? (values.full ? 'full' : 'quick');
  const plan = STUDY_PLANS[planName];
  if (!plan) throw new UsageError(`--plan must be one of ${Object.keys(STUDY_PLANS).join(', ')}, got '${planName}'`);
  if (plan.base.data === 'fashion-mnist' && !existsSync(FASHION_MNIST_DIR)) {
    throw new UsageError(`the ${plan.name} study trains on the full Fashion-MNIST, expected in ${FASHION_MNIST_DIR}: install it with \`sudo apt-get install dataset-fashion-mnist\` (or run the scaled-down study: npm run study)`);
  }
  const out = path.resolve(values.out ?? path.join(here, '../../bench/results', `study-${plan.name}`));
  if (values.fresh) rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const log = createLogger();
  const t0 = performance.now();
  const reportOnly = values['report-only'] ?? false;
  const lrFindBase = (batchSize: number) => ({ ...plan.base, batchSize });
  const main = await findLrOrRead(out, 'lr-find', lrFindBase(plan.batchSize), plan.lrFind, reportOnly, log);
  if (!main) throw new UsageError(`--report-only: ${path.join(out, 'lr-find')} has no lr_find results yet; run the study first`);
  log.info(`study: one-cycle max lr ${main.lr.toPrecision(3)}, wd ${main.wd}: ${main.wdChoice.why}`);
  const lb = plan.largeBatch;
  let large: LrChoice | undefined;
  const findLarge = async (): Promise<LrChoice | undefined> => {
    if (!lb) return undefined;
    large = await findLrOrRead(out, `lr-find-batch${lb.batchSize}`, lrFindBase(lb.batchSize), { ...plan.lrFind, numIt: lb.numIt }, reportOnly, log);
    return large;
  };
  const arms: ArmResult[] = [];
  const report = async (): Promise<void> => {
    const result: StudyResult = {
      plan, date: new Date().toISOString(), machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      wallSeconds: (performance.now() - t0) / 1000, lrChoice: main, largeBatchLrChoice: large, arms, comparisons: compareArms(arms, plan.targets),
    };
    await writeStudyReport(out, result);
  };
  for (const next of armsOf(plan, main, findLarge)) {
    const spec = await next();
    if (!spec) continue;
    const arm = reportOnly ? readArm(out, spec) : await runArm(out, spec, log);
    if (arm) arms.push(arm);
    await report();
  }
  if (arms.length === 0) await report();
  log.info(`study: report in ${path.join(out, 'study.md')}`);
}

/** lr_find2 (or its earlier results); undefined in --report-only mode when it has not run yet. */
async function findLrOrRead(
  out: string, name: string, base: StudyPlan['base'], find: StudyPlan['lrFind'], reportOnly: boolean, log: ReturnType<typeof createLogger>,
): Promise<LrChoice | undefined> {
  if (reportOnly && !existsSync(path.join(out, name, 'summary.json'))) return undefined;
  return findLr(out, name, base, find, log);
}

class UsageError extends Error {}

main().catch((e: unknown) => {
  const usage = e instanceof UsageError || (e instanceof Error && ['ConfigError', 'DataError'].includes(e.name));
  process.stderr.write(`study: ${e instanceof Error ? e.message : String(e)}\n`);
  if (!usage && e instanceof Error && e.cause) process.stderr.write(`  caused by: ${String(e.cause)}\n`);
  process.exit(usage ? 2 : 1);
});
