import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../../src/reporting/index.js';
import type { ArmResult, TargetComparison } from './compareArms.js';
import { iterationsToTarget } from './iterationsToTarget.js';
import { goalProgress, judgeGoal } from './judgeGoal.js';
import type { LrChoice } from './findLr.js';
import type { StudyPlan } from './StudyPlan.js';

export interface StudyResult {
  plan: StudyPlan;
  date: string;
  machine: { cpus: number; cpuModel: string; node: string };
  /** Wall time of this invocation (s); arms read back from an earlier invocation cost it nothing. */
  wallSeconds: number;
  lrChoice: LrChoice;
  largeBatchLrChoice?: LrChoice;
  arms: ArmResult[];
  comparisons: TargetComparison[];
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The study's tables in markdown: every arm's budget, final accuracy and iterations to each target; the ratios. */
export function studyMarkdown(r: StudyResult): string {
  const t = r.plan.targets;
  const rows = r.arms.map((a) => {
    const to = t.map((x) => iterationsToTarget(a.curve, x) ?? (a.finished ? 'not reached' : 'not yet'));
    const state = a.diverged ? ' (diverged)' : a.finished ? '' : ' (unfinished)';
    return `| ${a.name}${state} | ${a.batchSize} | ${a.lr.toPrecision(3)} | ${a.wd} | ${a.epochs.toFixed(0)} | ${a.iterations} | ${pct(a.finalAccuracy)} | ${to.join(' | ')} | ${Math.round(a.seconds)} |`;
  });
  const progress = goalProgress(r.plan, r.arms);
  const goal = (c: TargetComparison) => {
    const verdict = judgeGoal(c, progress);
    const why =
      verdict === 'beyond the plan'
        ? ` (for ${progress.factor}x a baseline would have to need at least ${progress.factor * c.oneCycle!.iterations} iterations; the plan's longest baseline budget is ${progress.longestBaseline})`
        : '';
    return ` Goal (${progress.factor}x fewer): **${verdict}**${why}.`;
  };
  const lines = r.comparisons.map((c) => {
    if (!c.oneCycle)
      return `- ${pct(c.target)}: one-cycle did not reach it${c.baseline ? `; ${c.baseline.arm} did in ${c.baseline.iterations} iterations` : ''}.${goal(c)}`;
    if (!c.baseline && c.ratio === undefined)
      return `- ${pct(c.target)}: one-cycle in ${c.oneCycle.iterations} iterations (${c.oneCycle.arm}); no baseline has run yet.${goal(c)}`;
    if (c.atLeast) {
      const longest = Math.round(c.ratio! * c.oneCycle.iterations);
      const bound = c.ratio! >= 1 ? `: at least **${c.ratio!.toFixed(1)}x** fewer iterations` : '';
      return `- ${pct(c.target)}: one-cycle in ${c.oneCycle.iterations} iterations (${c.oneCycle.arm}); no baseline reached it (the longest has ${longest} iterations)${bound}.${goal(c)}`;
    }
    const verdict =
      c.ratio! >= 1
        ? `**${c.ratio!.toFixed(1)}x** fewer iterations`
        : `the baseline was faster: one-cycle took **${(1 / c.ratio!).toFixed(1)}x** as many iterations`;
    return `- ${pct(c.target)}: one-cycle in ${c.oneCycle.iterations} iterations (${c.oneCycle.arm}), the best baseline in ${c.baseline!.iterations} (${c.baseline!.arm}): ${verdict}.${goal(c)}`;
  });
  const runsDone =
    `Runs finished: ${progress.oneCycles.finished} of ${progress.oneCycles.planned} one-cycle runs, ${progress.baselines.finished} of ${progress.baselines.planned} baseline runs. ` +
    "A verdict is given only where the runs still to come cannot change it (more baselines can only lower the best baseline's iterations; more one-cycle runs, one-cycle's).";
  const large = r.arms
    .filter((a) => a.kind === 'one-cycle-large-batch')
    .map((big) => {
      const peer = r.arms.find((a) => a.kind === 'one-cycle' && a.epochs === big.epochs);
      const state = big.finished ? '' : ' (unfinished)';
      return (
        `- ${big.name}${state}: ${pct(big.finalAccuracy)} after ${big.iterations} iterations at batch ${big.batchSize}, lr ${big.lr.toPrecision(3)}` +
        (peer
          ? `; at batch ${peer.batchSize} the same ${peer.epochs.toFixed(0)} epochs (${peer.name}${peer.finished ? '' : ', unfinished'}) gave ${pct(peer.finalAccuracy)} after ${peer.iterations} iterations.`
          : '.')
      );
    });
  const choice = (c: LrChoice, batch: number) =>
    `- batch ${batch}: one-cycle max lr **${c.lr.toPrecision(3)}**, wd **${c.wd}** (${c.wdChoice.why}). ${c.lrWhy} (lr_find run: ${c.run}/)`;
  return [
    `# Super-convergence study (${r.plan.name}), ${r.date}`,
    '',
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}. Command: \`npm run study${r.plan.name === 'quick' ? '' : ` -- --${r.plan.name}`}\`; ` +
      `training time of the runs below: ${(r.arms.reduce((t, a) => t + a.seconds, 0) / 60).toFixed(1)} min (without evaluations and lr_find); this invocation took ${(r.wallSeconds / 60).toFixed(1)} min.`,
    `Model ${r.plan.base.model} on ${r.plan.base.data}, ${r.plan.base.workers} workers, augmentation ${r.plan.base.augment ? 'on' : 'off'}, seed ${r.plan.base.seed}.`,
    '',
    '## What lr_find2 chose',
    '',
    choice(r.lrChoice, r.plan.batchSize),
    ...(r.largeBatchLrChoice && r.plan.largeBatch ? [choice(r.largeBatchLrChoice, r.plan.largeBatch.batchSize)] : []),
    '',
    '## Runs',
    '',
    `Baselines: momentum ${r.plan.baseline.momentum}, lr ${r.plan.baseline.lr}; step: x${r.plan.baseline.stepGamma} at ${r.plan.baseline.stepMilestones.map((m) => `${m * 100}%`).join(' and ')} of the run. ` +
      `The constant run is trained once, for ${r.plan.baseline.constantEpochs} epochs: a constant schedule does not depend on the budget, so its curve is every shorter budget's too. ` +
      `Iterations to a target: the first evaluation at or above it (every ${r.plan.evalEvery} steps and at epoch ends).`,
    '',
    `| run | batch | lr | wd | epochs | iterations | final accuracy | ${t.map((x) => `iterations to ${pct(x)}`).join(' | ')} | training s |`,
    `|---|---:|---:|---:|---:|---:|---:|${t.map(() => '---:|').join('')}---:|`,
    ...rows,
    '',
    '## One-cycle against the best baseline',
    '',
    ...lines,
    '',
    runsDone,
    '',
    ...(large.length > 0 ? ['## Large batch', '', ...large, ''] : []),
    '![validation accuracy against iterations](accuracy.png)',
    '',
  ].join('\n');
}

/**
 * Validation accuracy against iterations (log axis over the runs' span), one line per arm, with the targets as rules;
 * accuracies below the floor (15 points under the lowest target) are drawn on it, so every line stays whole.
 */
export function accuracyPlotSpec(r: StudyResult): TopLevelSpec {
  const values = r.arms.flatMap((a) =>
    a.curve.map((p) => ({ run: a.name, iterations: p.iterations, accuracy: p.accuracy })),
  );
  const floor = Math.max(0, Math.min(...r.plan.targets) - 0.15);
  const top = Math.min(1, Math.max(...r.plan.targets, ...values.map((v) => v.accuracy)) + 0.01);
  const its = values.map((v) => v.iterations);
  const span = its.length > 0 ? [Math.min(...its), Math.max(...its)] : [1, 10];
  return {
    title: `validation accuracy (${r.plan.name} study)`,
    width: 640,
    height: 360,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 20 }, strokeWidth: 1.8, clip: true },
        encoding: {
          x: {
            field: 'iterations',
            type: 'quantitative',
            title: 'iterations (steps of the global batch)',
            scale: { type: 'log', domain: span, nice: false },
          },
          y: {
            field: 'accuracy',
            type: 'quantitative',
            title: `validation accuracy (below ${pct(floor)} drawn at it)`,
            scale: { domain: [floor, top], clamp: true, nice: false },
            axis: { format: '.0%' },
          },
          color: { field: 'run', type: 'nominal', title: 'run' },
        },
      },
      {
        data: { values: r.plan.targets.map((target) => ({ target })) },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#777' },
        encoding: { y: { field: 'target', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/** Writes study.json, study.md and accuracy.png/.svg into `dir`. */
export async function writeStudyReport(dir: string, r: StudyResult): Promise<void> {
  writeFileSync(path.join(dir, 'study.json'), JSON.stringify(r, null, 2) + '\n');
  writeFileSync(path.join(dir, 'study.md'), studyMarkdown(r));
  const plot = await renderSpec(accuracyPlotSpec(r), 'study accuracy');
  writeFileSync(path.join(dir, 'accuracy.svg'), plot.svg);
  writeFileSync(path.join(dir, 'accuracy.png'), plot.png);
}
