import type { Schedule } from './Schedule.js';
import { scaleGroupLrs } from './scaleGroupLrs.js';
import type { HyperparameterSchedule } from './StepHyperparameters.js';

export interface HyperparameterScheduleOptions {
  /** The lr schedule, built from the last group's lr (its momentum too, where it sets one). */
  lr: Schedule;
  /** Each layer group's base lr (the last group's is the one `lr` was built from): all scaled alike each step. */
  groupLrs: readonly number[];
  /** The momentum of the steps where `lr` sets none. */
  momentum: number;
  /** Each layer group's weight decay, the same at every step. */
  groupWeightDecays: readonly number[];
}

/**
 * A run's whole hyperparameters per step, composed from small pure functions of the step (as fastai v2's
 * ParamScheduler): the lr schedule; every group's lr scaled by the factor it gives the last group (scaleGroupLrs);
 * the schedule's momentum, else the fixed one; the fixed weight decays.
 */
export function hyperparameterSchedule(o: HyperparameterScheduleOptions): HyperparameterSchedule {
  const groups = o.groupLrs.length;
  if (groups === 0 || o.groupWeightDecays.length !== groups) {
    throw new RangeError(
      `hyperparameters: give one lr and one weight decay per layer group, got ${groups} lrs and ${o.groupWeightDecays.length} weight decays`,
    );
  }
  const groupLrs = [...o.groupLrs];
  const groupWeightDecays = [...o.groupWeightDecays];
  return (i) => {
    const v = o.lr(i);
    return {
      groupLrs: scaleGroupLrs(groupLrs, v.lr),
      momentum: v.momentum ?? o.momentum,
      groupWeightDecays: [...groupWeightDecays],
    };
  };
}
