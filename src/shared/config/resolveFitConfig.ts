import { ConfigError } from './ConfigError.js';
import { type BackendName, DEFAULT_FIT_CONFIG, type FitConfig, type SpawnMode } from './FitConfig.js';
import { checkDeclared, integer, momentum, nonNegative, positive } from './checkDeclared.js';
import { FIT_SETTINGS } from './fitSettings.js';
import { parseHostPort } from './hostPort.js';
import { parseDataSpec } from './parseDataSpec.js';

/** Backends that run on a GPU: the only ones --gpus (one process per GPU, CUDA_VISIBLE_DEVICES) makes sense with. */
export const GPU_BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'webgpu'];

/**
 * Local workers run as threads for wasm and cpu (each thread's wasm runs single-threaded), and as processes for
 * the native backends (tfjs-node cannot load in a second worker thread, tfjs#8388) and for auto, which may pick one.
 */
export function defaultSpawn(backend: BackendName): SpawnMode {
  return backend === 'wasm' || backend === 'cpu' ? 'thread' : 'process';
}

/**
 * `lrs`/`wds` (from `--lr A,B,C` / `--wd A,B,C`): each value checked; one value is the same as the scalar; more than
 * one sets the scalar to the last group's value (the one the schedule is built from), which a given scalar must match.
 */
function perGroup(
  c: FitConfig,
  input: Partial<FitConfig>,
  one: 'lr' | 'wd',
  many: 'lrs' | 'wds',
  check: (key: string, v: number) => void,
): void {
  const list = c[many];
  if (list === undefined) return check(one, c[one]);
  const flag = `--${one} (${many})`;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError(`${flag} must list one value per layer group, got ${JSON.stringify(list)}`);
  list.forEach((v, g) => check(`${flag} value for layer group ${g}`, v));
  const last = list[list.length - 1];
  if (input[one] !== undefined && input[one] !== last) {
    throw new ConfigError(
      `${one} (${input[one]}) must be the last value of ${many} (${list.join(',')}): give one or the other`,
    );
  }
  c[one] = last;
  c[many] = list.length === 1 ? undefined : [...list];
}

function checkLayerGroups(c: FitConfig): void {
  const groups = c.layerGroups;
  if (groups !== undefined) {
    if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => typeof g !== 'string' || g.trim() === '')) {
      throw new ConfigError(
        `--layer-groups takes layer-name prefixes or layer indices, comma-separated, got ${JSON.stringify(groups)}`,
      );
    }
  }
  // Where the number of groups is known before the model is (given groups, or a list of values), check against it.
  const known = [
    groups && { n: groups.length, what: `--layer-groups names ${groups.length} groups` },
    c.lrs && { n: c.lrs.length, what: `--lr gives ${c.lrs.length} values` },
    c.wds && { n: c.wds.length, what: `--wd gives ${c.wds.length} values` },
  ].filter((k): k is { n: number; what: string } => !!k);
  for (const k of known.slice(1)) {
    if (k.n !== known[0].n)
      throw new ConfigError(`${known[0].what} but ${k.what}: give one value per layer group, or one for all`);
  }
  if (known.length > 0 && c.freezeTo >= known[0].n) {
    throw new ConfigError(
      `--freeze-to ${c.freezeTo} is past the last layer group (${known[0].what}, so 0..${known[0].n - 1})`,
    );
  }
}

/** Fills defaults and validates; unknown keys and bad values are ConfigErrors naming the key. */
export function resolveFitConfig(input: Partial<FitConfig> = {}): FitConfig {
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_FIT_CONFIG)) {
      throw new ConfigError(`unknown config key '${key}'; known keys: ${Object.keys(DEFAULT_FIT_CONFIG).join(', ')}`);
    }
  }
  const c: FitConfig = {
    ...DEFAULT_FIT_CONFIG,
    ...input,
    // A given one-cycle replaces the default whole: `--one-cycle 10,13.68` means no cyclical momentum.
    oneCycle: { ...(input.oneCycle ?? DEFAULT_FIT_CONFIG.oneCycle) },
  };
  checkDeclared(FIT_SETTINGS, c);
  perGroup(c, input, 'lr', 'lrs', positive);
  perGroup(c, input, 'wd', 'wds', nonNegative);
  checkLayerGroups(c);
  if (c.schedule === 'one-cycle') {
    const o = c.oneCycle;
    if (!(o.div >= 1)) throw new ConfigError(`one-cycle div must be >= 1, got ${o.div}`);
    if (!(o.pct >= 0 && o.pct <= 100)) throw new ConfigError(`one-cycle pct must be in [0, 100], got ${o.pct}`);
    if ((o.maxMomentum === undefined) !== (o.minMomentum === undefined)) {
      throw new ConfigError('one-cycle takes both momenta (MAX_MOM,MIN_MOM) or neither');
    }
    momentum('one-cycle max momentum', o.maxMomentum);
    momentum('one-cycle min momentum', o.minMomentum);
  }
  if (c.workers > c.batchSize)
    throw new ConfigError(`workers (${c.workers}) cannot exceed the global batch size (${c.batchSize})`);
  for (const g of c.gpus) integer('gpus', g, 0);
  if (c.gpus.length > 0) {
    if (c.workers !== c.gpus.length)
      throw new ConfigError(`--gpus lists ${c.gpus.length} GPUs but workers is ${c.workers}: one worker per GPU`);
    if (c.spawn === 'thread')
      throw new ConfigError('--gpus starts one process per GPU; it cannot be used with --spawn thread');
    if (c.backend !== 'auto' && !GPU_BACKENDS.includes(c.backend)) {
      throw new ConfigError(
        `--gpus pins one worker process per GPU, but --backend ${c.backend} does not use a GPU: use --backend ${GPU_BACKENDS.join(' or ')}, or drop --gpus`,
      );
    }
    c.spawn = 'process';
  }
  if (c.listen !== '') {
    parseHostPort(c.listen, '--listen');
    if (c.gpus.length > 0)
      throw new ConfigError('--listen waits for remote workers; --gpus starts local ones: use one or the other');
  }
  if (c.elastic && c.workers < 2)
    throw new ConfigError(`--elastic needs at least 2 workers (--workers or --world-size), got ${c.workers}`);
  if (c.minWorkers > c.workers)
    throw new ConfigError(`--min-workers ${c.minWorkers} exceeds the ${c.workers} workers of the run`);
  if (c.spawn === 'inline' && c.workers > 1) c.spawn = defaultSpawn(c.backend);
  if (c.model.trim() === '') throw new ConfigError('model must name a built-in model or a path to a model.json');
  checkStepSchedule(c);
  checkDerivedLrs(c);
  parseDataSpec(c.data);
  return c;
}

/** `--step-at` fractions in (0, 1), increasing; `--step-gamma` positive: checked here, before anything runs. */
function checkStepSchedule(c: FitConfig): void {
  const m = c.stepMilestones;
  if (!Array.isArray(m) || m.some((f, k) => !(f > 0 && f < 1) || (k > 0 && !(f > m[k - 1])))) {
    throw new ConfigError(
      `--step-at takes increasing fractions of the run in (0, 1), such as 0.5,0.75; got ${JSON.stringify(m)}`,
    );
  }
}

/**
 * Every learning rate the run will send is finite and positive: each group's peak, its product with the last
 * group's (how the per-group lrs are scaled each step), its one-cycle floor lr/(div·100), its step-schedule floor
 * lr·gamma^k and its coupled weight decay lr·wd. A value such as --lr 1e308 passes as a number but overflows in these.
 */
function checkDerivedLrs(c: FitConfig): void {
  const lrs = c.lrs ?? [c.lr];
  const wds = c.wds ?? [c.wd];
  const derived: [string, number][] = [];
  lrs.forEach((lr, g) => {
    const at = lrs.length > 1 ? ` (layer group ${g})` : '';
    derived.push([`lr × last group's lr${at}`, lr * c.lr], [`lr × weight decay${at}`, lr * (wds[g] ?? c.wd)]);
    if (c.schedule === 'one-cycle')
      derived.push([`one-cycle's final lr, lr/(div·100)${at}`, lr / (c.oneCycle.div * 100)]);
    if (c.schedule === 'step')
      derived.push([
        `step's final lr, lr·gamma^${c.stepMilestones.length}${at}`,
        lr * c.stepGamma ** c.stepMilestones.length,
      ]);
  });
  for (const [what, v] of derived) {
    const zeroOk = what.includes('weight decay');
    if (!Number.isFinite(v) || (!zeroOk && !(v > 0))) {
      throw new ConfigError(
        `--lr ${lrs.join(',')} is out of range: ${what} would be ${v}; give a learning rate such as 0.1`,
      );
    }
  }
}
