import type { ArmSpec } from './runArm.js';
import type { LrChoice } from './findLr.js';
import type { StudyPlan } from './StudyPlan.js';

/**
 * Every arm of the plan, in the order they are trained: the shortest one-cycle and the shortest step baseline first,
 * so that an interrupted study already has a comparison, then the other one-cycles and the second step budget (a
 * baseline run can only lower the best baseline's iterations to a target, so the speedup measured against the
 * baselines run so far is an upper bound: the second budget is what most often settles it), then the large batch,
 * the other step budgets and the long constant run. `large` is lr_find2's choice at the large batch, looked up when
 * its arm comes.
 */
export function armsOf(
  plan: StudyPlan,
  main: LrChoice,
  large: () => Promise<LrChoice | undefined>,
): (() => Promise<ArmSpec | undefined>)[] {
  const base = {
    ...plan.base,
    batchSize: plan.batchSize,
    evalEvery: plan.evalEvery,
    checkpointEvery: plan.checkpointEvery,
  };
  const { div, pct, maxMomentum, minMomentum } = plan.oneCycle;
  const oneCycle = { schedule: 'one-cycle' as const, oneCycle: { div, pct, maxMomentum, minMomentum } };
  const b = plan.baseline;
  const baseline = { lr: b.lr, momentum: b.momentum, wd: main.wd };
  const oneCycles = [...plan.oneCycle.epochs]
    .sort((x, y) => x - y)
    .map(
      (epochs): ArmSpec => ({
        name: `one-cycle-${epochs}ep`,
        kind: 'one-cycle',
        config: { ...base, ...oneCycle, lr: main.lr, wd: main.wd, epochs },
      }),
    );
  const steps = [...b.stepEpochs]
    .sort((x, y) => x - y)
    .map(
      (epochs): ArmSpec => ({
        name: `step-${epochs}ep`,
        kind: 'step',
        config: {
          ...base,
          ...baseline,
          schedule: 'step',
          stepMilestones: b.stepMilestones,
          stepGamma: b.stepGamma,
          epochs,
        },
      }),
    );
  const constant: ArmSpec = {
    name: `constant-${b.constantEpochs}ep`,
    kind: 'constant',
    config: { ...base, ...baseline, schedule: 'constant', epochs: b.constantEpochs },
  };
  const lb = plan.largeBatch;
  const largeArm = async (): Promise<ArmSpec | undefined> => {
    const choice = lb && (await large());
    if (!lb || !choice) return undefined;
    const scale = plan.batchSize / lb.batchSize;
    return {
      name: `one-cycle-${lb.epochs}ep-batch${lb.batchSize}`,
      kind: 'one-cycle-large-batch',
      config: {
        ...base,
        ...oneCycle,
        batchSize: lb.batchSize,
        lr: choice.lr,
        wd: choice.wd,
        epochs: lb.epochs,
        evalEvery: Math.max(1, Math.round(plan.evalEvery * scale)),
        checkpointEvery: Math.max(1, Math.round(plan.checkpointEvery * scale)),
      },
    };
  };
  const ready = (a: ArmSpec) => async (): Promise<ArmSpec | undefined> => a;
  return [
    ...oneCycles.slice(0, 1).map(ready),
    ...steps.slice(0, 1).map(ready),
    ...oneCycles.slice(1).map(ready),
    ...steps.slice(1, 2).map(ready),
    largeArm,
    ...steps.slice(2).map(ready),
    ready(constant),
  ];
}
