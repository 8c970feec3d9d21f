/**
 * Every hyperparameter of one step, for every layer group (first group first): what the SGD update applies, as it
 * is. The coordinator's training loop sends it with the step (the Step request's fields of the same names).
 */
export interface StepHyperparameters {
  /** Each layer group's learning rate; the last group's is the run's headline lr (records, plots). */
  groupLrs: number[];
  momentum: number;
  /** Each layer group's weight decay. */
  groupWeightDecays: number[];
}

/** A run's hyperparameters as a pure function of the global iteration (0-based). */
export type HyperparameterSchedule = (iteration: number) => StepHyperparameters;

/** The last layer group's lr: the value the lr schedule gives, recorded as the step's `lr`. */
export function headlineLr(h: StepHyperparameters): number {
  return h.groupLrs[h.groupLrs.length - 1];
}
