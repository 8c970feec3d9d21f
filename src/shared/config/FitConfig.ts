/**
 * Every hyper-parameter and setting of a run, in one typed object (units in the comments). The resolved config
 * is saved with every result (summary.json) and sent to the workers as JSON.
 */
export type SchedulePolicy = 'one-cycle' | 'constant' | 'step';
export type WeightDecayMode = 'coupled' | 'decoupled';
export type BackendName = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type SpawnMode = 'inline' | 'thread' | 'process';

export interface OneCycleParams {
  /** The triangle runs from lr/div up to lr and back. */
  div: number;
  /** Percent of the iterations (0-100) annealing to lr/(div*100) after the triangle. */
  pct: number;
  /** Cyclical momentum bounds (falls max -> min while the lr rises); absent: constant `momentum`. */
  maxMomentum?: number;
  minMomentum?: number;
}

export interface FitConfig {
  /** Built-in model name (resnet-mini, resnet20, resnet56, cnn, mlp) or a path to a tfjs model.json. */
  model: string;
  /** sample | fashion-mnist | cifar10:DIR | idx:DIR. */
  data: string;
  backend: BackendName;
  /** Global batch: examples per step, summed over all workers. */
  batchSize: number;
  /** Training length in epochs (full passes over the training split); ignored when `iterations` is set. */
  epochs: number;
  /** Training length in steps, overriding `epochs` when set (> 0). */
  iterations: number;
  schedule: SchedulePolicy;
  /** Learning rate: the peak of the one-cycle, or the (initial) value of constant and step. */
  lr: number;
  /** one-cycle's (div, pct, max_mom, min_mom), as fastai 0.7's use_clr_beta. */
  oneCycle: OneCycleParams;
  /** Momentum where the schedule sets none. */
  momentum: number;
  /** step schedule: fractions of the run at which the lr is multiplied by stepGamma. */
  stepMilestones: number[];
  stepGamma: number;
  /** L2 weight decay (fastai 0.7's wds). */
  wd: number;
  wdMode: WeightDecayMode;
  /** Seeds the initial weights, the data order and the augmentation. */
  seed: number;
  augment: boolean;
  shuffle: boolean;
  /** Data-parallel workers (local), each with a model replica. */
  workers: number;
  /** How local workers run: in this thread (1 worker only), as worker threads, or as processes. */
  spawn: SpawnMode;
  /** host:port where the coordinator waits for `workers` remote workers to join (`--listen`); '' runs them locally. */
  listen: string;
  /** One local worker process per GPU id, with CUDA_VISIBLE_DEVICES set (`--gpus 0,1`); empty: no GPU pinning. */
  gpus: number[];
  /** Run directory for records, plots, the model and summary.json. */
  out: string;
  /** Evaluate the whole validation split after every epoch. */
  evalEveryEpoch: boolean;
  /** Compare the replicas' weight checksums every this many steps (0: only at the end). */
  checksumEvery: number;
}

export const DEFAULT_FIT_CONFIG: FitConfig = {
  model: 'resnet-mini',
  data: 'sample',
  backend: 'auto',
  batchSize: 128,
  epochs: 4,
  iterations: 0,
  schedule: 'one-cycle',
  lr: 0.4,
  oneCycle: { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 },
  momentum: 0.9,
  stepMilestones: [0.5, 0.75],
  stepGamma: 0.1,
  wd: 1e-4,
  wdMode: 'coupled',
  seed: 0,
  augment: true,
  shuffle: true,
  workers: 1,
  spawn: 'inline',
  listen: '',
  gpus: [],
  out: '',
  evalEveryEpoch: true,
  checksumEvery: 50,
};
