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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { interruptOnSignals } from '../src/cli/interruptOnSignals.js';
import { StartInterruptedError, TrainingInterruptedError } from '../src/coordinator/index.js';
import { runStudy, StudyUsageError } from './study/runStudy.js';
import { STUDY_PLANS } from './study/StudyPlan.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean' },
      plan: { type: 'string' },
      out: { type: 'string' },
      fresh: { type: 'boolean' },
      'report-only': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write('npm run study [-- --full | --plan quick|full] [--out DIR] [--fresh] [--report-only]\n');
    return;
  }
  const planName = values.plan ?? (values.full ? 'full' : 'quick');
  const plan = STUDY_PLANS[planName];
  if (!plan)
    throw new StudyUsageError(`--plan must be one of ${Object.keys(STUDY_PLANS).join(', ')}, got '${planName}'`);
  const out = values.out ?? path.join(here, '../../bench/results', `study-${plan.name}`);
  // One signal for every run of the study: a run that has not reached its first step stops at once, one that has
  // stops after the step in flight, with a checkpoint.
  const interrupt = interruptOnSignals('stopping the run in flight (after its current step, if it has started one)');
  interrupt.started();
  try {
    await runStudy(plan, { out, fresh: values.fresh, reportOnly: values['report-only'], signal: interrupt.signal });
  } finally {
    interrupt.dispose();
  }
}

main().catch((e: unknown) => {
  const interrupted = TrainingInterruptedError.of(e);
  if (interrupted) {
    process.stderr.write(
      `study: ${interrupted.message}; the same command continues the study (finished runs are kept, an interrupted training run resumes from its checkpoint)\n`,
    );
    process.exit(130);
  }
  if (e instanceof StartInterruptedError) {
    process.stderr.write(`study: ${e.message}; the same command continues the study (finished runs are kept)\n`);
    process.exit(e.exitCode);
  }
  const usage = e instanceof Error && ['StudyUsageError', 'ConfigError', 'DataError'].includes(e.name);
  process.stderr.write(`study: ${e instanceof Error ? e.message : String(e)}\n`);
  if (!usage && e instanceof Error && e.cause) process.stderr.write(`  caused by: ${String(e.cause)}\n`);
  process.exit(usage ? 2 : 1);
});
