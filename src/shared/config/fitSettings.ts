/**
 * Every setting of fit and lr-find, declared once: its flag, the FitConfig key it sets (if any), its type (from its
 * check), its default, its help text, and whether a resumed run may change it. The FitConfig type and its defaults
 * (FitConfig.ts), the CLI's option tables and --help, the checks of resolveFitConfig, the resume rule and the README's
 * flag table are all derived from this table: adding a flag is one entry here plus its use.
 */
import { custom } from './settingValues.js';

/** The backends a run can name, in the order `auto` tries them (auto first). */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

export interface OneCycleParams {
  /** The triangle runs from lr/div up to lr and back. */
  div: number;
  /** Percent of the iterations (0-100) annealing to lr/(div*100) after the triangle. */
  pct: number;
  /** Cyclical momentum bounds (falls max -> min while the lr rises); absent: constant `momentum`. */
  maxMomentum?: number;
  minMomentum?: number;
}

/** The most steps, epochs or workers a run takes: what a signed 32-bit field holds (the CLI's limit too). */
export const MAX_COUNT = 2_147_483_647;

/** How a setting's value is read from its flag and checked in the config. */
export type SettingCheck =
  /** A whole number from `min` to MAX_COUNT. */
  | { kind: 'count'; min: number }
  /** One of `values`. */
  | { kind: 'enum'; values: readonly string[] }
  /** A boolean flag: giving it sets the key to `value`. */
  | { kind: 'switch'; value: boolean }
  /** A finite number in [0, 1) (momenta). */
  | { kind: 'fraction' }
  /** A positive finite number. */
  | { kind: 'positive' }
  /** Free text, checked where it is used (a path, an address, a data spec). */
  | { kind: 'text' }
  /** Parsed and checked by its own code (per-group lists, the one-cycle tuple, ...); `custom<T>()` names its type. */
  | { kind: 'custom' };

const SECTIONS = [
  'Schedule',
  'Length',
  'Model and data',
  "Layer groups (fine-tuning, as fastai 0.7's layer_groups, freeze_to)",
  'Workers and output',
  'Checkpoints and failures',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface SettingDeclaration<K extends string = string> {
  /** The flag, without its dashes. */
  flag: string;
  /** What follows the flag in --help (`N`, `DIR`); absent for a boolean flag or an enum (its values are shown). */
  arg?: string;
  /** The FitConfig key the flag sets; absent for a flag of the command alone (--out's --overwrite, --resume, ...). */
  key?: K;
  /** The config's default (a key's only; of the key's type, checked at compile time in FitConfig.ts). */
  default?: unknown;
  check: SettingCheck;
  /** --help text; `{default}` is replaced by the default. */
  help: string;
  section: Section | string;
  /** fit only (absent: fit and lr-find). */
  fitOnly?: true;
  /** A resumed run may change it: where and how it runs and checkpoints, never what it computes. */
  mayChangeOnResume?: true;
  /** Shown in a --help line of its own only (`--seed S  --no-shuffle` share one line): the next entry's line. */
  joinNext?: true;
}

const DECLARED = [
  // Schedule
  {
    flag: 'schedule',
    key: 'schedule',
    default: 'one-cycle',
    check: { kind: 'enum', values: ['one-cycle', 'constant', 'step'] },
    section: 'Schedule',
    fitOnly: true,
    help: 'default {default}',
  },
  // The last layer group's lr (the schedule is built from it); `lrs` lists every group's.
  {
    flag: 'lr',
    arg: 'L | L1,L2,...',
    key: 'lr',
    default: 0.4,
    check: custom<number>(),
    section: 'Schedule',
    fitOnly: true,
    help: 'peak lr of the cycle, or the lr of constant/step (default {default}); one per layer group (first group first) or one for all: the schedule scales them all alike',
  },
  {
    flag: 'one-cycle',
    arg: 'DIV,PCT[,MAX_MOM,MIN_MOM]',
    key: 'oneCycle',
    default: { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 },
    check: custom<OneCycleParams>(),
    section: 'Schedule',
    fitOnly: true,
    help: 'default {default} (implies --schedule one-cycle)',
  },
  {
    flag: 'momentum',
    arg: 'M',
    key: 'momentum',
    default: 0.9,
    check: { kind: 'fraction' },
    section: 'Schedule',
    help: 'momentum where the schedule sets none (default {default}; lr-find: constant during the test)',
  },
  {
    flag: 'step-at',
    arg: 'F1,F2',
    key: 'stepMilestones',
    default: [0.5, 0.75],
    check: custom<number[]>(),
    section: 'Schedule',
    fitOnly: true,
    help: 'step schedule: fractions of the run where lr *= gamma (default {default})',
  },
  {
    flag: 'step-gamma',
    arg: 'G',
    key: 'stepGamma',
    default: 0.1,
    check: { kind: 'positive' },
    section: 'Schedule',
    fitOnly: true,
    help: 'default {default}',
  },
  {
    flag: 'wd',
    arg: 'W | W1,W2,...',
    key: 'wd',
    default: 1e-4,
    check: custom<number>(),
    section: 'Schedule',
    fitOnly: true,
    help: 'weight decay, one per layer group or one for all (default {default})',
  },
  {
    flag: 'wd-mode',
    key: 'wdMode',
    default: 'coupled',
    check: { kind: 'enum', values: ['coupled', 'decoupled'] },
    section: 'Schedule',
    help: 'default {default}',
  },
  // Length
  {
    flag: 'epochs',
    arg: 'N',
    key: 'epochs',
    default: 4,
    check: { kind: 'count', min: 1 },
    section: 'Length',
    fitOnly: true,
    help: 'training length in epochs (default {default})',
  },
  {
    flag: 'iterations',
    arg: 'N',
    key: 'iterations',
    default: 0,
    check: { kind: 'count', min: 1 },
    section: 'Length',
    fitOnly: true,
    help: 'training length in steps (overrides --epochs)',
  },
  // Model and data
  {
    flag: 'model',
    arg: 'NAME|PATH',
    key: 'model',
    default: 'resnet-mini',
    check: { kind: 'text' },
    section: 'Model and data',
    help: 'resnet-mini (default), resnet20, resnet56, cnn, mlp, or a tfjs model.json',
  },
  {
    flag: 'data',
    arg: 'SPEC',
    key: 'data',
    default: 'sample',
    check: { kind: 'text' },
    section: 'Model and data',
    help: 'sample (default: shipped Fashion-MNIST sample), fashion-mnist, cifar10:DIR, idx:DIR',
  },
  {
    flag: 'batch-size',
    arg: 'B',
    key: 'batchSize',
    default: 128,
    check: { kind: 'count', min: 1 },
    section: 'Model and data',
    help: 'global batch over all workers (default {default}); an epoch is ceil(N/B) steps, the last one partial, as fastai 0.7 and PyTorch (--drop-last: floor(N/B), the rest unused)',
  },
  {
    flag: 'drop-last',
    key: 'dropLast',
    default: false,
    check: { kind: 'switch', value: true },
    section: 'Model and data',
    help: 'drop the last partial batch of every epoch',
  },
  {
    flag: 'augment',
    key: 'augment',
    default: false,
    check: { kind: 'switch', value: true },
    section: 'Model and data',
    help: 'random crop (4-pixel padding) and horizontal flip of training images (default off, as fastai and PyTorch: transforms only when asked)',
  },
  {
    flag: 'no-augment',
    key: 'augment',
    check: { kind: 'switch', value: false },
    section: 'Model and data',
    help: 'no augmentation (the default, stated)',
  },
  {
    flag: 'pad-mode',
    key: 'padMode',
    default: 'reflect',
    check: { kind: 'enum', values: ['reflect', 'zeros'] },
    section: 'Model and data',
    help: "how the crop pads: reflect (default, fastai 0.7's cv2.BORDER_REFLECT) or zeros (torchvision's RandomCrop)",
  },
  {
    flag: 'seed',
    arg: 'S',
    key: 'seed',
    default: 0,
    check: { kind: 'count', min: 0 },
    section: 'Model and data',
    help: 'seeds the initial weights, the data order and the augmentation (default {default})',
  },
  {
    flag: 'no-shuffle',
    key: 'shuffle',
    default: true,
    check: { kind: 'switch', value: false },
    section: 'Model and data',
    help: 'keep the data in its order',
  },
  // Layer groups
  // fit records the resolved groups here (each group's first layer), so that a resumed run rebuilds the same ones.
  {
    flag: 'layer-groups',
    arg: 'S1,S2,...',
    key: 'layerGroups',
    default: undefined,
    check: custom<string[] | undefined>(),
    section: "Layer groups (fine-tuning, as fastai 0.7's layer_groups, freeze_to)",
    help: "where each group starts: a layer index or a layer-name prefix (the first layer whose name is, or starts with, it); earlier layers join the first group. Default: the built-in model's groups (resnets: stem + first stage, middle stages, head; mlp: hidden, head; cnn: conv1, conv2, head), or one group for a --model PATH",
  },
  {
    flag: 'freeze-to',
    arg: 'N',
    key: 'freezeTo',
    default: 0,
    check: { kind: 'count', min: 0 },
    section: "Layer groups (fine-tuning, as fastai 0.7's layer_groups, freeze_to)",
    help: 'freeze the groups before N (no update, no gradient, BatchNorm statistics kept); default {default} trains everything',
  },
  // Workers and output
  {
    flag: 'workers',
    arg: 'N',
    key: 'workers',
    default: 1,
    check: { kind: 'count', min: 1 },
    section: 'Workers and output',
    mayChangeOnResume: true,
    help: 'local data-parallel workers (default {default})',
  },
  {
    flag: 'spawn',
    key: 'spawn',
    default: 'inline',
    check: { kind: 'enum', values: ['inline', 'thread', 'process'] },
    section: 'Workers and output',
    mayChangeOnResume: true,
    help: 'how local workers run (default: thread for --backend wasm and cpu, process otherwise, auto included since it may pick a native backend; inline: in this thread, one worker only, the default for --workers 1)',
  },
  {
    flag: 'gpus',
    arg: '0,1,2,3',
    key: 'gpus',
    default: [],
    check: custom<number[]>(),
    section: 'Workers and output',
    mayChangeOnResume: true,
    help: "one worker process per GPU (PCI order, as nvidia-smi), pinned to it: CUDA_VISIBLE_DEVICES for tensorflow-gpu, Mesa's Vulkan device-select layer for webgpu (README: GPU training); with auto, a warning if it resolves to a backend without a GPU",
  },
  {
    flag: 'listen',
    arg: 'HOST:PORT',
    key: 'listen',
    default: '',
    check: { kind: 'text' },
    section: 'Workers and output',
    mayChangeOnResume: true,
    help: 'wait for --world-size workers started with `superconverge worker --join HOST:PORT`',
  },
  {
    flag: 'world-size',
    arg: 'N',
    check: { kind: 'custom' },
    section: 'Workers and output',
    help: 'with --listen: how many workers to wait for',
  },
  {
    flag: 'rendezvous',
    arg: 'env',
    check: { kind: 'custom' },
    section: 'Workers and output',
    help: 'every task runs this same command (Slurm srun, Kubeflow PyTorchJob): rank 0 is the coordinator and a worker, the others join it; from MASTER_ADDR, MASTER_PORT (29500), RANK or SLURM_PROCID, WORLD_SIZE or SLURM_NTASKS',
  },
  {
    flag: 'host',
    arg: 'ADDR',
    check: { kind: 'text' },
    section: 'Workers and output',
    help: "address this machine's worker advertises to the others (default: its route to them)",
  },
  {
    flag: 'token-file',
    arg: 'FILE',
    check: { kind: 'text' },
    section: 'Workers and output',
    help: "the run's shared secret (or SUPERCONVERGE_TOKEN; >= 16 characters, the same on every machine): every call must carry it; required to listen beyond 127.0.0.1",
  },
  {
    flag: 'tls-cert',
    arg: 'F',
    check: { kind: 'text' },
    section: 'Workers and output',
    joinNext: true,
    help: "mutual TLS: this machine's certificate (PEM), with --tls-key and --tls-ca",
  },
  {
    flag: 'tls-key',
    arg: 'F',
    check: { kind: 'text' },
    section: 'Workers and output',
    joinNext: true,
    help: 'mutual TLS: the private key of --tls-cert (PEM)',
  },
  {
    flag: 'tls-ca',
    arg: 'F',
    check: { kind: 'text' },
    section: 'Workers and output',
    help: "mutual TLS on every connection (PEM; the certificate must name this machine's address; the CA signs every machine's)",
  },
  {
    flag: 'backend',
    key: 'backend',
    default: 'auto',
    check: { kind: 'enum', values: BACKEND_NAMES },
    section: 'Workers and output',
    mayChangeOnResume: true,
    help: 'default {default}: the first that loads; webgpu only on a GPU, not on a software adapter',
  },
  {
    flag: 'out',
    arg: 'DIR',
    key: 'out',
    default: '',
    check: { kind: 'text' },
    section: 'Workers and output',
    help: 'run directory (default runs/<time>-fit); one that holds a run is refused',
  },
  {
    flag: 'overwrite',
    check: { kind: 'switch', value: true },
    section: 'Workers and output',
    help: 'replace the run an --out directory holds (its records, checkpoints, model, plots)',
  },
  {
    flag: 'log-format',
    check: { kind: 'enum', values: ['pretty', 'json'] },
    section: 'Workers and output',
    help: 'default pretty',
  },
  {
    flag: 'checksum-every',
    arg: 'N',
    key: 'checksumEvery',
    default: 50,
    check: { kind: 'count', min: 0 },
    section: 'Workers and output',
    fitOnly: true,
    mayChangeOnResume: true,
    help: 'compare replica checksums every N steps (default {default}; 0: only at the end)',
  },
  {
    flag: 'eval-every',
    arg: 'N',
    key: 'evalEvery',
    default: 0,
    check: { kind: 'count', min: 0 },
    section: 'Workers and output',
    fitOnly: true,
    help: 'also evaluate the whole validation split every N steps (default {default}: at epoch ends); every evaluation is a row of RUN_DIR/evals.csv',
  },
  {
    flag: 'tensorboard',
    arg: 'DIR',
    check: { kind: 'text' },
    section: 'Workers and output',
    fitOnly: true,
    help: 'also write TensorBoard event files (lr, momentum, loss, valLoss, accuracy) under DIR',
  },
  {
    flag: 'no-plots',
    check: { kind: 'switch', value: false },
    section: 'Workers and output',
    help: 'skip the plots and report.html (re-render later with superconverge plot RUN_DIR)',
  },
  // Checkpoints and failures
  {
    flag: 'checkpoint-every',
    arg: 'N',
    key: 'checkpointEvery',
    default: 0,
    check: { kind: 'count', min: 0 },
    section: 'Checkpoints and failures',
    fitOnly: true,
    mayChangeOnResume: true,
    help: 'also checkpoint every N steps (always: at every epoch end and when the run stops; Ctrl-C stops after the step in flight with a checkpoint, exit code 130)',
  },
  {
    flag: 'keep-checkpoints',
    arg: 'K',
    key: 'keepCheckpoints',
    default: 3,
    check: { kind: 'count', min: 1 },
    section: 'Checkpoints and failures',
    fitOnly: true,
    mayChangeOnResume: true,
    help: 'keep the newest K under RUN_DIR/checkpoints (default {default})',
  },
  {
    flag: 'resume',
    arg: 'RUN_DIR',
    check: { kind: 'text' },
    section: 'Checkpoints and failures',
    fitOnly: true,
    help: 'continue a stopped run exactly where its newest intact checkpoint left it, in RUN_DIR (only {mayChange} may change)',
  },
  {
    flag: 'continue-on-nan',
    key: 'continueOnNan',
    default: false,
    check: { kind: 'switch', value: true },
    section: 'Checkpoints and failures',
    fitOnly: true,
    mayChangeOnResume: true,
    help: 'go on after a NaN or infinite loss (default: stop at the last good checkpoint)',
  },
  {
    flag: 'elastic',
    key: 'elastic',
    default: false,
    check: { kind: 'switch', value: true },
    section: 'Checkpoints and failures',
    fitOnly: true,
    mayChangeOnResume: true,
    help: 'on a dead or hung worker, go on with the others instead of stopping: the ring is re-formed, a replica is restored from a survivor, the global batch and the schedule stay the same (the shards are redistributed), and the failed step is redone or kept, never applied twice; a worker that joins again (worker --join) is admitted at a step boundary. summary.json lists the changes (elasticEvents)',
  },
  {
    flag: 'min-workers',
    arg: 'N',
    key: 'minWorkers',
    default: 1,
    check: { kind: 'count', min: 1 },
    section: 'Checkpoints and failures',
    fitOnly: true,
    mayChangeOnResume: true,
    help: 'with --elastic, stop (as without it) when fewer than N workers remain (default {default})',
  },
] as const satisfies readonly SettingDeclaration[];

/** The declarations' literal types, from which FitConfig.ts derives the config's type. */
export type FitSettingsTable = typeof DECLARED;
/** The config keys that have a flag. */
export type FitSettingKey = Extract<FitSettingsTable[number], { key: string }>['key'];

export const FIT_SETTINGS: readonly SettingDeclaration<FitSettingKey>[] = DECLARED;

/** How a config key is named in a message: `batchSize (--batch-size)`, or `momentum` where key and flag agree. */
export function settingLabel(s: SettingDeclaration<string>): string {
  return s.key === s.flag ? s.flag : `${s.key} (--${s.flag})`;
}
