import type { ArmResult, TargetComparison } from './compareArms.js';
import type { StudyPlan } from './StudyPlan.js';

/** Whether one-cycle reached a target in at least `factor` times fewer iterations than the best baseline. */
export type GoalVerdict = 'met' | 'not met' | 'open';

export interface GoalProgress {
  factor: number;
  oneCycles: { finished: number; planned: number };
  baselines: { finished: number; planned: number };
}

/** How many of the plan's one-cycle (main batch) and baseline runs have finished: what a verdict may rest on. */
export function goalProgress(plan: StudyPlan, arms: readonly ArmResult[]): GoalProgress {
  const finished = (kinds: ArmResult['kind'][]) => arms.filter((a) => kinds.includes(a.kind) && a.finished).length;
  return {
    factor: plan.speedupGoal,
    oneCycles: { finished: finished(['one-cycle']), planned: plan.oneCycle.epochs.length },
    baselines: { finished: finished(['step', 'constant']), planned: plan.baseline.stepEpochs.length + 1 },
  };
}

/**
 * The goal's verdict for one target, decided only where the runs still to come cannot change it: a baseline run can
 * only lower the best baseline's iterations (so a ratio below the factor stays below it once every one-cycle run has
 * finished), and a one-cycle run can only lower one-cycle's (so a ratio at or above it stays so once every baseline
 * has finished). A lower bound (no baseline reached the target) meets the goal only when it is itself at the factor.
 */
export function judgeGoal(c: TargetComparison, p: GoalProgress): GoalVerdict {
  const oneCyclesDone = p.oneCycles.finished >= p.oneCycles.planned;
  const baselinesDone = p.baselines.finished >= p.baselines.planned;
  if (!c.oneCycle) return oneCyclesDone ? 'not met' : 'open';
  if (c.ratio === undefined) return 'open';
  if (c.ratio >= p.factor) return baselinesDone ? 'met' : 'open';
  if (c.atLeast) return 'open';
  return oneCyclesDone ? 'not met' : 'open';
}
