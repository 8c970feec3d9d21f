import { iterationsToTarget, type AccuracyPoint } from './iterationsToTarget.js';

export type ArmKind = 'one-cycle' | 'constant' | 'step' | 'one-cycle-large-batch';

/** One trained configuration of the study, as measured. */
export interface ArmResult {
  name: string;
  kind: ArmKind;
  batchSize: number;
  lr: number;
  wd: number;
  /** The budget: steps of the run (a constant run's shorter budgets are prefixes of it). */
  iterations: number;
  epochs: number;
  /** Validation accuracy after every evaluation (epoch ends and every evalEvery steps). */
  curve: AccuracyPoint[];
  finalAccuracy: number;
  /** Training wall time (s): every step's, once, however often the run was resumed; throughput (images/s) as fit measured it. */
  seconds: number;
  imagesPerSecond: number;
  /** false while the run is unfinished (an interrupted study): its curve so far is reported, marked as such. */
  finished: boolean;
  /** Why the run stopped early: its loss went NaN or infinite (the curve is up to the last evaluation before). */
  diverged?: string;
}

export interface TargetComparison {
  target: number;
  /** Fewest iterations any one-cycle run (main batch) needed to reach the target, and which run. */
  oneCycle?: { iterations: number; arm: string };
  /** Fewest iterations any baseline (constant or step) needed, and which run. */
  baseline?: { iterations: number; arm: string };
  /** Baseline iterations over one-cycle iterations; when the baselines never reached it, a lower bound (`atLeast`). */
  ratio?: number;
  atLeast?: boolean;
}

function fewest(arms: readonly ArmResult[], target: number): { iterations: number; arm: string } | undefined {
  let best: { iterations: number; arm: string } | undefined;
  for (const a of arms) {
    const it = iterationsToTarget(a.curve, target);
    if (it !== undefined && (best === undefined || it < best.iterations)) best = { iterations: it, arm: a.name };
  }
  return best;
}

/**
 * For each target: the one-cycle's iterations to reach it against the best baseline's. When no baseline reached it,
 * the ratio is a lower bound: the longest baseline's steps over the one-cycle's.
 */
export function compareArms(arms: readonly ArmResult[], targets: readonly number[]): TargetComparison[] {
  const oneCycles = arms.filter((a) => a.kind === 'one-cycle');
  const baselines = arms.filter((a) => a.kind === 'constant' || a.kind === 'step');
  return targets.map((target) => {
    const oneCycle = fewest(oneCycles, target);
    const baseline = fewest(baselines, target);
    if (!oneCycle) return baseline ? { target, baseline } : { target };
    if (baseline) return { target, oneCycle, baseline, ratio: baseline.iterations / oneCycle.iterations };
    const longest = Math.max(0, ...baselines.map((a) => Math.max(0, ...a.curve.map((p) => p.iterations))));
    return longest > 0
      ? { target, oneCycle, ratio: longest / oneCycle.iterations, atLeast: true }
      : { target, oneCycle };
  });
}
