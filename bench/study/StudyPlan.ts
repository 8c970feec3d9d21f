import type { FitConfig } from '../../src/index.js';

/**
 * One super-convergence study, as data: what is trained, how lr_find2 picks the one-cycle's max lr and weight decay,
 * and which epoch budgets the one-cycle and the baselines get. Units in the comments; saved with the results.
 */
export interface StudyPlan {
  name: string;
  /** Passed to every fit and lr_find: model, data, workers, augmentation, seed. */
  base: Partial<FitConfig>;
  /** Global batch of the main comparison (examples per step, summed over the workers). */
  batchSize: number;
  /** lr_find2: the lr range (start, end), iterations per sweep, and the weight decays swept (one sweep each). */
  lrFind: { startLr: number; endLr: number; numIt: number; wds: number[] };
  /** One-cycle (fastai 0.7 use_clr_beta=(div, pct, max_mom, min_mom)) at lr_find's lr, for each of these budgets (epochs). */
  oneCycle: { div: number; pct: number; maxMomentum: number; minMomentum: number; epochs: number[] };
  /**
   * Baselines, momentum 0.9, at `lr` (the ResNet paper's 0.1 for SGD with momentum at batch 128): a constant lr for
   * `constantEpochs` (a constant schedule does not depend on the budget, so one run gives every shorter budget's
   * curve), and a step schedule (x0.1 at 50% and 75% of the run) for each of `stepEpochs`.
   */
  baseline: {
    lr: number;
    momentum: number;
    constantEpochs: number;
    stepEpochs: number[];
    stepMilestones: number[];
    stepGamma: number;
  };
  /** Large batch: lr_find2 and one-cycle again at this global batch (examples), for `epochs` epochs. */
  largeBatch: { batchSize: number; numIt: number; epochs: number } | undefined;
  /** Validation accuracies (0..1) whose first crossing is reported, in iterations. */
  targets: number[];
  /** The goal: one-cycle reaches each target in at least this many times fewer iterations than the best baseline. */
  speedupGoal: number;
  /** Evaluate the whole validation split every this many steps of the main batch (besides every epoch end). */
  evalEvery: number;
  /** Checkpoint every this many steps, so an interrupted study resumes where it stopped (`npm run study` again). */
  checkpointEvery: number;
}

// The study was measured with augmentation, zero padding and the last partial batch dropped (the defaults before
// issue 16): stated here, so that its committed results still describe what it runs.
const common = {
  model: 'resnet-mini',
  workers: 2,
  augment: true,
  seed: 0,
  backend: 'auto',
  dropLast: true,
  padMode: 'zeros',
} as const;

/**
 * The scaled-down study: the shipped 6,000/1,000 stratified sample of Fashion-MNIST, short budgets. Its targets
 * are lower than the full study's because a model trained on a tenth of the data for a few epochs tops out lower.
 */
export const QUICK_STUDY: StudyPlan = {
  name: 'quick',
  base: { ...common, data: 'sample' },
  batchSize: 128,
  // 20 iterations a decade, as the full study's 100 over 5 decades: a sweep much shorter than the smoothing's
  // span (beta 0.98, about 50 iterations) leaves the smoothed curves near their starting loss and says little.
  lrFind: { startLr: 1e-3, endLr: 10, numIt: 80, wds: [1e-4, 1e-3] },
  oneCycle: { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85, epochs: [2, 4] },
  baseline: {
    lr: 0.1,
    momentum: 0.9,
    constantEpochs: 6,
    stepEpochs: [2, 6],
    stepMilestones: [0.5, 0.75],
    stepGamma: 0.1,
  },
  largeBatch: { batchSize: 512, numIt: 60, epochs: 2 },
  targets: [0.75, 0.8],
  speedupGoal: 5,
  evalEvery: 23,
  checkpointEvery: 46,
};

/** The full study: all of Fashion-MNIST (60,000 training, 10,000 test images; Debian's dataset-fashion-mnist). */
export const FULL_STUDY: StudyPlan = {
  name: 'full',
  base: { ...common, data: 'fashion-mnist' },
  batchSize: 128,
  lrFind: { startLr: 1e-4, endLr: 10, numIt: 100, wds: [1e-4, 1e-3] },
  // 12 epochs added after 3 and 6 ended at 90.1% and 91.5%, short of the 92% target: one-cycle's own iterations to it
  oneCycle: { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85, epochs: [3, 6, 12] },
  // Step 30 and constant 30 epochs were dropped (6.6 h here) once step-12ep reached 92% in fewer iterations than
  // one-cycle: more baselines can only lower the best baseline's iterations, so they could not change either verdict.
  // The constant run is as long as the step runs' lr-0.1 phase (their first halves are constant runs: step-12ep's
  // first 6 epochs peaked at 88.3%).
  baseline: {
    lr: 0.1,
    momentum: 0.9,
    constantEpochs: 6,
    stepEpochs: [6, 12],
    stepMilestones: [0.5, 0.75],
    stepGamma: 0.1,
  },
  largeBatch: { batchSize: 1024, numIt: 60, epochs: 6 },
  targets: [0.92, 0.93],
  speedupGoal: 5,
  evalEvery: 234,
  checkpointEvery: 200,
};

export const STUDY_PLANS: Record<string, StudyPlan> = { quick: QUICK_STUDY, full: FULL_STUDY };
