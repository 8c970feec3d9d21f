import type { ArmResult, TargetComparison } from './compareArms.js';
import type { StudyPlan } from './StudyPlan.js';

/**
 * Whether one-cycle reached a target in at least `factor` times fewer iterations than the best baseline; 'beyond
 * the plan' where even a baseline that first reached it at the end of the plan's longest budget would fall short.
 */
export type GoalVerdict = 'met' | 'not met' | 'open' | 'beyond the plan';

export interface GoalProgress {
  factor: number;
  oneCycles: { finished: number; planned: number };
  baselines: { finished: number; planned: number };
  /** The plan's longest baseline budget (iterations), once a finished main-batch run gives the iterations per epoch. */
  longestBaseline?: number;
}

/** How many of the plan's one-cycle (main batch) and baseline runs have finished: what a verdict may rest on. */
export function goalProgress(plan: StudyPlan, arms: readonly ArmResult[]): GoalProgress {
  const finished = (kinds: ArmResult['kind'][]) => arms.filter((a) => kinds.includes(a.kind) && a.finished).length;
  const measured = arms.find((a) => a.kind !== 'one-cycle-large-batch' && a.finished && !a.diverged && a.epochs > 0);
  const longestEpochs = Math.max(plan.baseline.constantEpochs, ...plan.baseline.stepEpochs);
  return {
    factor: plan.speedupGoal,
    oneCycles: { finished: finished(['one-cycle']), planned: plan.oneCycle.epochs.length },
    baselines: { finished: finished(['step', 'constant']), planned: plan.baseline.stepEpochs.length + 1 },
    ...(measured ? { longestBaseline: Math.round((measured.iterations / measured.epochs) * longestEpochs) } : {}),
  };
}

/**
 * The goal's verdict for one target, decided only where the runs still to come cannot change it: a baseline run can
 * only lower the best baseline's iterations (so a ratio below the factor stays below it once every one-cycle run has
 * finished), and a one-cycle run can only lower one-cycle's (so a ratio at or above it stays so once every baseline
 * has finished). A lower bound (no baseline reached the target) meets the goal only when it is itself at the factor.
 * Once every one-cycle run has finished, a goal that no baseline within the plan's longest budget could show is
 * 'beyond the plan' rather than open for good.
 */
export function judgeGoal(c: TargetComparison, p: GoalProgress): GoalVerdict {
  const oneCyclesDone = p.oneCycles.finished >= p.oneCycles.planned;
  const baselinesDone = p.baselines.finished >= p.baselines.planned;
  if (!c.oneCycle) return oneCyclesDone ? 'not met' : 'open';
  if (c.ratio !== undefined && !c.atLeast && c.ratio < p.factor) return oneCyclesDone ? 'not met' : 'open';
  if (c.ratio !== undefined && c.ratio >= p.factor) return baselinesDone ? 'met' : 'open';
  const reachable = p.longestBaseline === undefined || p.longestBaseline >= p.factor * c.oneCycle.iterations;
  return oneCyclesDone && !reachable ? 'beyond the plan' : 'open';
}
