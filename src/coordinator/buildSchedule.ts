import type { FitConfig } from '../shared/config/index.js';
import { constant, oneCycle, step, type Schedule } from '../shared/schedule/index.js';

/** The fit's schedule from its config, over `iterations` steps. Momentum falls back to config.momentum. */
export function buildSchedule(c: FitConfig, iterations: number): Schedule {
  const base: Schedule =
    c.schedule === 'one-cycle'
      ? oneCycle({ iterations, maxLr: c.lr, ...c.oneCycle })
      : c.schedule === 'step'
        ? step({ iterations, lr: c.lr, milestones: c.stepMilestones, gamma: c.stepGamma })
        : constant({ iterations, lr: c.lr });
  return (i) => {
    const v = base(i);
    return { lr: v.lr, momentum: v.momentum ?? c.momentum };
  };
}
