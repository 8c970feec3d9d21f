/**
 * Every hyper-parameter and setting of a run, in one typed object (units in the comments). The resolved config
 * is saved with every result (summary.json) and sent to the workers as JSON. Defaults, flags and checks: fitSettings.ts.
 */
export type SchedulePolicy = 'one-cycle' | 'constant' | 'step';
export type WeightDecayMode = 'coupled' | 'decoupled';
/** The backends a run can name, in the order `auto` tries them (auto first). */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type SpawnMode = 'inline' | 'thread' | 'process';
/** How the random crop pads: reflect (fastai 0.7's CIFAR transforms, cv2.BORDER_REFLECT) or zeros (torchvision's default). */
export type PadMode = 'reflect' | 'zeros';

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
  /** Learning rate: the peak of the one-cycle, or the (initial) value of constant and step; the last layer group's. */
  lr: number;
  /**
   * One learning rate per layer group (fastai 0.7's `lrs`), first group first; absent: `lr` for every group. The
   * schedule scales them all by the same factor each step. When given, `lr` is its last value.
   */
  lrs?: number[];
  /** one-cycle's (div, pct, max_mom, min_mom), as fastai 0.7's use_clr_beta. */
  oneCycle: OneCycleParams;
  /** Momentum where the schedule sets none. */
  momentum: number;
  /** step schedule: fractions of the run at which the lr is multiplied by stepGamma. */
  stepMilestones: number[];
  stepGamma: number;
  /** L2 weight decay (fastai 0.7's wds); the last layer group's. */
  wd: number;
  /** One weight decay per layer group; absent: `wd` for every group. When given, `wd` is its last value. */
  wds?: number[];
  wdMode: WeightDecayMode;
  /** Seeds the initial weights, the data order and the augmentation. */
  seed: number;
  /** Random crop (4-pixel padding) and horizontal flip of training examples; off unless asked (`--augment`), as in fastai and PyTorch. */
  augment: boolean;
  /** How the random crop pads the image (`--pad-mode`). */
  padMode: PadMode;
  shuffle: boolean;
  /**
   * Drop the last partial batch of every epoch (`--drop-last`). Default false: an epoch is ceil(N/B) steps, the last
   * one smaller, as fastai 0.7's DataLoader and PyTorch's default (drop_last=False).
   */
  dropLast: boolean;
  /**
   * Where each layer group starts: a layer index (into model.layers) or a layer-name prefix (the first layer whose
   * name is, or else starts with, it). Layers before the first start belong to the first group. Absent: the built-in
   * model's groups, or one group for a loaded model. fit records the resolved groups here (their first layers).
   */
  layerGroups?: string[];
  /** Layer groups before this index are frozen: no update, no gradient, BatchNorm statistics unchanged. 0: none. */
  freezeTo: number;
  /** Data-parallel workers (local), each with a model replica. */
  workers: number;
  /** How local workers run: in this thread (1 worker only), as worker threads, or as processes. */
  spawn: SpawnMode;
  /** host:port where the coordinator waits for `workers` remote workers to join (`--listen`); '' runs them locally. */
  listen: string;
  /** One local worker process per GPU id, pinned to it (`--gpus 0,1`; see pinGpu.ts); empty: no GPU pinning. */
  gpus: number[];
  /** Run directory for records, plots, the model and summary.json. */
  out: string;
  /** Evaluate the whole validation split after every epoch. */
  evalEveryEpoch: boolean;
  /** Also evaluate the whole validation split every this many steps (0: only at epoch ends); each goes to evals.csv. */
  evalEvery: number;
  /** Compare the replicas' weight checksums every this many steps (0: only at the end). */
  checksumEvery: number;
  /** Write a checkpoint every this many steps (0: only at epoch ends and when the run stops early). */
  checkpointEvery: number;
  /** Checkpoints kept under RUN_DIR/checkpoints (the newest ones). */
  keepCheckpoints: number;
  /** Go on training after a NaN or infinite loss instead of stopping at the last good checkpoint. */
  continueOnNan: boolean;
  /**
   * On a lost worker, go on with the others (re-formed ring, same global batch and schedule) instead of stopping; a
   * worker that joins again is admitted at a step boundary (`--elastic`).
   */
  elastic: boolean;
  /** --elastic: stop when fewer workers than this remain (`--min-workers`). */
  minWorkers: number;
}
