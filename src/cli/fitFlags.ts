import { parseArgs } from 'node:util';
import { useTlsFiles, useTokenFile } from '../shared/auth/index.js';
import { ConfigError, type FitConfig } from '../shared/config/index.js';
import type { LogFormat } from '../shared/log/index.js';
import { parseOneCycle } from './oneCycleFlag.js';
import { parseInteger, parseNumber, parseNumberList } from './parseNumberList.js';

/** Flags shared by fit and lr-find: model, data, workers, backend. */
export const COMMON_OPTIONS = {
  model: { type: 'string' }, data: { type: 'string' }, backend: { type: 'string' }, 'batch-size': { type: 'string' },
  seed: { type: 'string' }, augment: { type: 'boolean' }, 'no-augment': { type: 'boolean' }, 'pad-mode': { type: 'string' },
  'drop-last': { type: 'boolean' }, 'no-shuffle': { type: 'boolean' }, workers: { type: 'string' },
  spawn: { type: 'string' }, out: { type: 'string' }, 'log-format': { type: 'string' }, wd: { type: 'string' },
  'wd-mode': { type: 'string' }, 'layer-groups': { type: 'string' }, 'freeze-to': { type: 'string' }, help: { type: 'boolean' },
  listen: { type: 'string' }, 'world-size': { type: 'string' }, gpus: { type: 'string' }, rendezvous: { type: 'string' },
  host: { type: 'string' }, 'token-file': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' }, overwrite: { type: 'boolean' },
} as const;

export const FIT_OPTIONS = {
  ...COMMON_OPTIONS,
  lr: { type: 'string' }, epochs: { type: 'string' }, iterations: { type: 'string' }, momentum: { type: 'string' },
  schedule: { type: 'string' }, 'one-cycle': { type: 'string' }, 'step-at': { type: 'string' }, 'step-gamma': { type: 'string' },
  'checksum-every': { type: 'string' }, 'eval-every': { type: 'string' }, tensorboard: { type: 'string' }, 'no-plots': { type: 'boolean' },
  resume: { type: 'string' }, 'checkpoint-every': { type: 'string' }, 'keep-checkpoints': { type: 'string' },
  'continue-on-nan': { type: 'boolean' }, elastic: { type: 'boolean' }, 'min-workers': { type: 'string' },
} as const;

export const FIT_HELP = `superconverge fit: train with one-cycle (or a constant / step schedule) on data-parallel workers

  superconverge fit --lr 0.8 --epochs 95 --one-cycle 10,13.68,0.95,0.85 --wd 1e-4 --batch-size 512
  (mirrors fastai 0.7's learn.fit(0.8, 1, cycle_len=95, use_clr_beta=(10, 13.68, 0.95, 0.85), wds=1e-4))

Schedule
  --schedule one-cycle|constant|step  default one-cycle
  --lr L | L1,L2,...         peak lr of the cycle, or the lr of constant/step (default 0.4); one per layer
                             group (first group first) or one for all: the schedule scales them all alike
  --one-cycle DIV,PCT[,MAX_MOM,MIN_MOM]  default 10,13.68,0.95,0.85 (implies --schedule one-cycle)
  --momentum M               momentum where the schedule sets none (default 0.9)
  --step-at F1,F2            step schedule: fractions of the run where lr *= gamma (default 0.5,0.75)
  --step-gamma G             default 0.1
  --wd W | W1,W2,...         weight decay, one per layer group or one for all (default 1e-4)
  --wd-mode coupled|decoupled  default coupled
Length
  --epochs N (default 4)     --iterations N (overrides --epochs); both take 1 to 2147483647
Model and data
  --model NAME|PATH          resnet-mini (default), resnet20, resnet56, cnn, mlp, or a tfjs model.json
  --data SPEC                sample (default: shipped Fashion-MNIST sample), fashion-mnist, cifar10:DIR, idx:DIR
  --batch-size B             global batch over all workers (default 128); an epoch is ceil(N/B) steps, the last
                             one partial, as fastai 0.7 and PyTorch (--drop-last: floor(N/B), the rest unused)
  --augment                  random crop (4-pixel padding) and horizontal flip of training images (default off,
                             as fastai and PyTorch: transforms only when asked; --no-augment is the default)
  --pad-mode reflect|zeros   how the crop pads: reflect (default, fastai 0.7's cv2.BORDER_REFLECT) or zeros
                             (torchvision's RandomCrop)
  --seed S  --no-shuffle
Layer groups (fine-tuning, as fastai 0.7's layer_groups, freeze_to)
  --layer-groups S1,S2,...   where each group starts: a layer index or a layer-name prefix (the first layer whose
                             name is, or starts with, it); earlier layers join the first group. Default: the
                             built-in model's groups (resnets: stem + first stage, middle stages, head; mlp: hidden,
                             head; cnn: conv1, conv2, head), or one group for a --model PATH
  --freeze-to N              freeze the groups before N (no update, no gradient, BatchNorm statistics kept);
                             default 0 trains everything
Workers and output
  --workers N                local data-parallel workers (default 1)
  --spawn thread|process|inline  how local workers run (default: thread for --backend wasm and cpu, process
                             otherwise, auto included since it may pick a native backend; inline: in this
                             thread, one worker only, the default for --workers 1)
  --gpus 0,1,2,3             one worker process per GPU (PCI order, as nvidia-smi), pinned to it: CUDA_VISIBLE_DEVICES
                             for tensorflow-gpu, Mesa's Vulkan device-select layer for webgpu (README: GPU training);
                             with auto, a warning if it resolves to a backend without a GPU
  --listen HOST:PORT --world-size N   wait for N workers started with \`superconverge worker --join HOST:PORT\`
  --rendezvous env           every task runs this same command (Slurm srun, Kubeflow PyTorchJob): rank 0 is the
                             coordinator and a worker, the others join it; from MASTER_ADDR, MASTER_PORT (29500),
                             RANK or SLURM_PROCID, WORLD_SIZE or SLURM_NTASKS
  --host ADDR                address this machine's worker advertises to the others (default: its route to them)
  --token-file FILE          the run's shared secret (or SUPERCONVERGE_TOKEN; >= 16 characters, the same on every
                             machine): every call must carry it; required to listen beyond 127.0.0.1
  --tls-cert F --tls-key F --tls-ca F   mutual TLS on every connection (PEM; the certificate must name this
                             machine's address; the CA signs every machine's)
  --backend auto|tensorflow-gpu|webgpu|tensorflow|wasm|cpu   (default auto: the first that loads; webgpu only on a
                             GPU, not on a software adapter)
  --out DIR                  run directory (default runs/<time>-fit); one that holds a run is refused
  --overwrite                replace the run an --out directory holds (its records, checkpoints, model, plots)
  --log-format pretty|json
  --checksum-every N         compare replica checksums every N steps (default 50)
  --eval-every N             also evaluate the whole validation split every N steps (default 0: at epoch ends);
                             every evaluation is a row of RUN_DIR/evals.csv
  --tensorboard DIR          also write TensorBoard event files (lr, momentum, loss, valLoss, accuracy) under DIR
  --no-plots                 skip the plots and report.html (re-render later with superconverge plot RUN_DIR)
Checkpoints and failures
  --checkpoint-every N       also checkpoint every N steps (always: at every epoch end and when the run stops;
                             Ctrl-C stops after the step in flight with a checkpoint, exit code 130)
  --keep-checkpoints K       keep the newest K under RUN_DIR/checkpoints (default 3)
  --resume RUN_DIR           continue a stopped run exactly where its newest intact checkpoint left it, in RUN_DIR
                             (only --workers, --listen/--world-size, --spawn, --gpus, --backend and the checkpoint
                             flags may change)
  --continue-on-nan          go on after a NaN or infinite loss (default: stop at the last good checkpoint)
  --elastic                  on a dead or hung worker, go on with the others instead of stopping: the ring is
                             re-formed, a replica is restored from a survivor, the global batch and the schedule
                             stay the same (the shards are redistributed), and the failed step is redone or kept,
                             never applied twice; a worker that joins again (worker --join) is admitted at a step
                             boundary. summary.json lists the changes (elasticEvents)
  --min-workers N            with --elastic, stop (as without it) when fewer than N workers remain (default 1)
`;

type Values = { [K in keyof typeof FIT_OPTIONS]?: (typeof FIT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Maps fit's flags onto a partial FitConfig (validation is resolveFitConfig's). */
export function parseFitFlags(argv: string[]): {
  config: Partial<FitConfig>; logFormat: LogFormat; help: boolean; rendezvous?: 'env'; host?: string; tensorboard?: string; plots: boolean;
  resume?: string; overwrite: boolean;
} {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: FIT_OPTIONS }) as { values: Values };
  const c: Partial<FitConfig> = applyCommonFlags(values);
  if (values.lr !== undefined) Object.assign(c, perGroupFlag('--lr', values.lr, 'lr', 'lrs'));
  if (values.epochs !== undefined) c.epochs = parseInteger('--epochs', values.epochs, 1);
  if (values.iterations !== undefined) c.iterations = parseInteger('--iterations', values.iterations, 1);
  if (values.momentum !== undefined) c.momentum = parseNumber('--momentum', values.momentum);
  if (values.schedule !== undefined) c.schedule = values.schedule as FitConfig['schedule'];
  if (values['one-cycle'] !== undefined) {
    c.oneCycle = parseOneCycle(values['one-cycle']);
    if (c.schedule !== undefined && c.schedule !== 'one-cycle') {
      throw new ConfigError(`--one-cycle conflicts with --schedule ${c.schedule}`);
    }
    c.schedule = 'one-cycle';
  }
  if (values['step-at'] !== undefined) c.stepMilestones = parseNumberList('--step-at', values['step-at']);
  if (values['step-gamma'] !== undefined) c.stepGamma = parseNumber('--step-gamma', values['step-gamma']);
  if (values['checksum-every'] !== undefined) c.checksumEvery = parseInteger('--checksum-every', values['checksum-every']);
  if (values['eval-every'] !== undefined) c.evalEvery = parseInteger('--eval-every', values['eval-every']);
  if (values['checkpoint-every'] !== undefined) c.checkpointEvery = parseInteger('--checkpoint-every', values['checkpoint-every']);
  if (values['keep-checkpoints'] !== undefined) c.keepCheckpoints = parseInteger('--keep-checkpoints', values['keep-checkpoints'], 1);
  if (values['continue-on-nan']) c.continueOnNan = true;
  if (values.elastic) c.elastic = true;
  if (values['min-workers'] !== undefined) {
    if (!values.elastic) throw new ConfigError('--min-workers goes with --elastic');
    c.minWorkers = parseInteger('--min-workers', values['min-workers'], 1);
  }
  const { rendezvous, host } = applyLaunchFlags(values, c);
  const logFormat = values['log-format'] ?? 'pretty';
  if (logFormat !== 'pretty' && logFormat !== 'json') throw new ConfigError(`--log-format must be pretty or json, got '${logFormat}'`);
  return { config: c, logFormat, help: values.help ?? false, rendezvous, host, tensorboard: values.tensorboard, plots: !values['no-plots'], resume: values.resume,
    overwrite: values.overwrite ?? false };
}

type CommonValues = { [K in keyof typeof COMMON_OPTIONS]?: (typeof COMMON_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Maps the flags fit and lr-find share (model, data, workers, backend, output) onto a partial FitConfig. */
export function applyCommonFlags(values: CommonValues, opts: { wdList?: boolean } = {}): Partial<FitConfig> {
  const c: Partial<FitConfig> = {};
  if (values.model !== undefined) c.model = values.model;
  if (values.data !== undefined) c.data = values.data;
  if (values.backend !== undefined) c.backend = values.backend as FitConfig['backend'];
  if (values['batch-size'] !== undefined) c.batchSize = parseInteger('--batch-size', values['batch-size'], 1);
  if (values.seed !== undefined) c.seed = parseInteger('--seed', values.seed);
  if (values.augment && values['no-augment']) throw new ConfigError('--augment and --no-augment contradict each other: give one');
  if (values.augment) c.augment = true;
  if (values['no-augment']) c.augment = false;
  if (values['pad-mode'] !== undefined) c.padMode = values['pad-mode'] as FitConfig['padMode'];
  if (values['drop-last']) c.dropLast = true;
  if (values['no-shuffle']) c.shuffle = false;
  if (values.workers !== undefined) c.workers = parseInteger('--workers', values.workers, 1);
  if (values.spawn !== undefined) c.spawn = values.spawn as FitConfig['spawn'];
  if (values.out !== undefined) c.out = values.out;
  if (values.wd !== undefined && !opts.wdList) Object.assign(c, perGroupFlag('--wd', values.wd, 'wd', 'wds'));
  if (values['layer-groups'] !== undefined) c.layerGroups = parseLayerGroups(values['layer-groups']);
  if (values['freeze-to'] !== undefined) c.freezeTo = parseInteger('--freeze-to', values['freeze-to']);
  if (values['wd-mode'] !== undefined) c.wdMode = values['wd-mode'] as FitConfig['wdMode'];
  return c;
}

/** `--lr 0.1` sets lr; `--lr 0.01,0.03,0.1` sets lrs (one per layer group; resolveFitConfig takes lr from it). */
export function perGroupFlag<K extends 'lr' | 'wd', L extends 'lrs' | 'wds'>(flag: string, text: string, one: K, many: L): Partial<FitConfig> {
  const values = parseNumberList(flag, text);
  return values.length === 1 ? { [one]: values[0] } : { [many]: values };
}

/** `--layer-groups stem,block2,12`: where each group starts (a layer-name prefix or a layer index). */
export function parseLayerGroups(text: string): string[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new ConfigError(`--layer-groups takes layer-name prefixes or layer indices, comma-separated, got '${text}'`);
  return parts;
}

/** Where the workers come from (fit and lr-find alike): --listen/--world-size, --gpus, --rendezvous env, --host. */
export function applyLaunchFlags(values: CommonValues, c: Partial<FitConfig>): { rendezvous?: 'env'; host?: string } {
  // The token is the process's (and its workers'): SUPERCONVERGE_TOKEN, which worker threads and processes inherit.
  if (values['token-file'] !== undefined) useTokenFile(values['token-file']);
  useTlsFiles({ cert: values['tls-cert'], key: values['tls-key'], ca: values['tls-ca'] });
  if (values.listen !== undefined) c.listen = values.listen;
  if (values['world-size'] !== undefined) {
    if (values.listen === undefined) throw new ConfigError('--world-size goes with --listen HOST:PORT (for local workers use --workers)');
    if (values.workers !== undefined) throw new ConfigError('--world-size and --workers both set the number of workers: use one');
    c.workers = parseInteger('--world-size', values['world-size'], 1);
  }
  if (values.gpus !== undefined) {
    c.gpus = parseNumberList('--gpus', values.gpus).map((g) => parseInteger('--gpus', String(g)));
    c.workers ??= c.gpus.length;
  }
  const rendezvous = values.rendezvous;
  if (rendezvous !== undefined) {
    if (rendezvous !== 'env') throw new ConfigError(`--rendezvous takes 'env', got '${rendezvous}'`);
    for (const flag of ['listen', 'world-size', 'workers', 'gpus'] as const) {
      if (values[flag] !== undefined) throw new ConfigError(`--rendezvous env takes the world from the environment; drop --${flag}`);
    }
  }
  return { rendezvous: rendezvous as 'env' | undefined, host: values.host };
}
