import { parseArgs } from 'node:util';
import { useTlsFiles, useTokenFile } from '../shared/auth/index.js';
import { ConfigError, type FitConfig } from '../shared/config/index.js';
import type { LogFormat } from '../shared/log/index.js';
import { parseOneCycle } from './oneCycleFlag.js';
import { parseInteger, parseNumberList } from './parseNumberList.js';
import {
  applyDeclaredFlags,
  type FlagCommand,
  type FlagValues,
  flagHelp,
  optionTable,
  textOf,
} from './declaredFlags.js';

export const FIT_HELP = `superconverge fit: train with one-cycle (or a constant / step schedule) on data-parallel workers

  superconverge fit --lr 0.8 --epochs 95 --one-cycle 10,13.68,0.95,0.85 --wd 1e-4 --batch-size 512
  (mirrors fastai 0.7's learn.fit(0.8, 1, cycle_len=95, use_clr_beta=(10, 13.68, 0.95, 0.85), wds=1e-4))

${flagHelp('fit')}`;

/** Maps fit's flags onto a partial FitConfig (validation is resolveFitConfig's). */
export function parseFitFlags(argv: string[]): {
  config: Partial<FitConfig>;
  logFormat: LogFormat;
  help: boolean;
  rendezvous?: 'env';
  host?: string;
  tensorboard?: string;
  plots: boolean;
  resume?: string;
  overwrite: boolean;
} {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: optionTable('fit') }) as {
    values: FlagValues;
  };
  if (values['min-workers'] !== undefined && !values.elastic)
    throw new ConfigError('--min-workers goes with --elastic');
  const c: Partial<FitConfig> = applyCommonFlags(values, 'fit');
  const lr = textOf(values, 'lr');
  if (lr !== undefined) Object.assign(c, perGroupFlag('--lr', lr, 'lr', 'lrs'));
  const wd = textOf(values, 'wd');
  if (wd !== undefined) Object.assign(c, perGroupFlag('--wd', wd, 'wd', 'wds'));
  const oneCycle = textOf(values, 'one-cycle');
  if (oneCycle !== undefined) {
    c.oneCycle = parseOneCycle(oneCycle);
    if (c.schedule !== undefined && c.schedule !== 'one-cycle') {
      throw new ConfigError(`--one-cycle conflicts with --schedule ${c.schedule}`);
    }
    c.schedule = 'one-cycle';
  }
  const stepAt = textOf(values, 'step-at');
  if (stepAt !== undefined) c.stepMilestones = parseNumberList('--step-at', stepAt);
  const { rendezvous, host } = applyLaunchFlags(values, c);
  return {
    config: c,
    logFormat: logFormatOf(values),
    help: values.help === true,
    rendezvous,
    host,
    tensorboard: textOf(values, 'tensorboard'),
    plots: !values['no-plots'],
    resume: textOf(values, 'resume'),
    overwrite: values.overwrite === true,
  };
}

/** --log-format: pretty (default) or json. */
export function logFormatOf(values: FlagValues): LogFormat {
  const logFormat = textOf(values, 'log-format') ?? 'pretty';
  if (logFormat !== 'pretty' && logFormat !== 'json')
    throw new ConfigError(`--log-format must be pretty or json, got '${logFormat}'`);
  return logFormat;
}

/** Maps the declared flags of `command` (model, data, workers, backend, output, ...) onto a partial FitConfig. */
export function applyCommonFlags(values: FlagValues, command: FlagCommand): Partial<FitConfig> {
  const c = applyDeclaredFlags(values, command);
  const groups = textOf(values, 'layer-groups');
  if (groups !== undefined) c.layerGroups = parseLayerGroups(groups);
  return c;
}

/** `--lr 0.1` sets lr; `--lr 0.01,0.03,0.1` sets lrs (one per layer group; resolveFitConfig takes lr from it). */
function perGroupFlag<K extends 'lr' | 'wd', L extends 'lrs' | 'wds'>(
  flag: string,
  text: string,
  one: K,
  many: L,
): Partial<FitConfig> {
  const values = parseNumberList(flag, text);
  return values.length === 1 ? { [one]: values[0] } : { [many]: values };
}

/** `--layer-groups stem,block2,12`: where each group starts (a layer-name prefix or a layer index). */
function parseLayerGroups(text: string): string[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => p === ''))
    throw new ConfigError(`--layer-groups takes layer-name prefixes or layer indices, comma-separated, got '${text}'`);
  return parts;
}

/** Where the workers come from (fit and lr-find alike): --listen/--world-size, --gpus, --rendezvous env, --host. */
export function applyLaunchFlags(values: FlagValues, c: Partial<FitConfig>): { rendezvous?: 'env'; host?: string } {
  // The token is the process's (and its workers'): SUPERCONVERGE_TOKEN, which worker threads and processes inherit.
  const tokenFile = textOf(values, 'token-file');
  if (tokenFile !== undefined) useTokenFile(tokenFile);
  useTlsFiles({ cert: textOf(values, 'tls-cert'), key: textOf(values, 'tls-key'), ca: textOf(values, 'tls-ca') });
  const worldSize = textOf(values, 'world-size');
  if (worldSize !== undefined) {
    if (values.listen === undefined)
      throw new ConfigError('--world-size goes with --listen HOST:PORT (for local workers use --workers)');
    if (values.workers !== undefined)
      throw new ConfigError('--world-size and --workers both set the number of workers: use one');
    c.workers = parseInteger('--world-size', worldSize, 1);
  }
  const gpus = textOf(values, 'gpus');
  if (gpus !== undefined) {
    c.gpus = parseNumberList('--gpus', gpus).map((g) => parseInteger('--gpus', String(g)));
    c.workers ??= c.gpus.length;
  }
  const rendezvous = textOf(values, 'rendezvous');
  if (rendezvous !== undefined) {
    if (rendezvous !== 'env') throw new ConfigError(`--rendezvous takes 'env', got '${rendezvous}'`);
    for (const flag of ['listen', 'world-size', 'workers', 'gpus'] as const) {
      if (values[flag] !== undefined)
        throw new ConfigError(`--rendezvous env takes the world from the environment; drop --${flag}`);
    }
  }
  return { rendezvous: rendezvous as 'env' | undefined, host: textOf(values, 'host') };
}
