import type { GroupedFitConfig } from '../shared/config/index.js';
import {
  constant,
  type HyperparameterSchedule,
  hyperparameterSchedule,
  oneCycle,
  step,
} from '../shared/schedule/index.js';

/**
 * The fit's hyperparameters per step, over `iterations` steps: its lr policy (built from the last group's lr) with
 * every group's lr and weight decay, momentum falling back to config.momentum.
 */
export function buildSchedule(c: GroupedFitConfig, iterations: number): HyperparameterSchedule {
  const lr =
    c.schedule === 'one-cycle'
      ? oneCycle({ iterations, maxLr: c.lr, ...c.oneCycle })
      : c.schedule === 'step'
        ? step({ iterations, lr: c.lr, milestones: c.stepMilestones, gamma: c.stepGamma })
        : constant({ iterations, lr: c.lr });
  return hyperparameterSchedule({ lr, groupLrs: c.lrs, momentum: c.momentum, groupWeightDecays: c.wds });
}
