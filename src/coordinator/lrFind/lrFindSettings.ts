import {
  custom,
  type DefaultsOfTheirType,
  type SettingDeclaration,
  type SettingValues,
} from '../../shared/config/index.js';

/**
 * lr-find's own settings, declared once (as fit's in fitSettings.ts): flag, default, check, help. DEFAULT_LR_FIND
 * and lr-find's option table and --help come from them; the defaults are fastai 0.7's lr_find2's (wds=None there is
 * no weight decay, so 0 here).
 */
const DECLARED = [
  // Start lr, or one per layer group (fastai's `start_lr` array): every group's lr is multiplied by the same factor
  // each iteration, so that the last group's runs from its start to `endLr`.
  {
    flag: 'start-lr',
    arg: 'A',
    key: 'startLr',
    default: 1e-5,
    check: custom<number | number[]>(),
    section: 'LR range test',
    joinNext: true,
    help: 'the first lr',
  },
  {
    flag: 'end-lr',
    arg: 'B',
    key: 'endLr',
    default: 10,
    check: { kind: 'positive' },
    section: 'LR range test',
    help: "lr range (default {start-lr} .. {default}), exponential unless --linear; --start-lr A1,A2,... gives each layer group its start: all are multiplied by the same factor each iteration, the last group's reaching B (fastai's lr_find2 with an lr array)",
  },
  {
    flag: 'linear',
    key: 'linear',
    default: false,
    check: { kind: 'switch', value: true },
    section: 'LR range test',
    help: 'a linear lr range',
  },
  {
    flag: 'num-it',
    arg: 'N',
    key: 'numIt',
    default: 100,
    check: { kind: 'count', min: 2 },
    section: 'LR range test',
    help: 'iterations (default {default}), crossing epoch boundaries as needed; after each one the next validation batch is evaluated (sharded across the workers)',
  },
  // One sweep per weight decay, each from the same starting weights; a sweep's value may list one per layer group.
  {
    flag: 'wd',
    arg: 'W[,W2,...]',
    key: 'wds',
    default: [0],
    check: custom<(number | number[])[]>(),
    section: 'LR range test',
    help: "weight decay (default {default}, as fastai 0.7's lr_find2(wds=None)); several values run one sweep each from the same starting weights; a sweep's value may list one per layer group joined by '/': --wd 1e-4/1e-3/1e-2,0",
  },
  {
    flag: 'no-stop-dv',
    key: 'stopDiv',
    default: true,
    check: { kind: 'switch', value: false },
    section: 'LR range test',
    help: 'do not stop when the smoothed loss exceeds 4x its best (or is not finite)',
  },
  {
    flag: 'skip-start',
    arg: 'N',
    key: 'skipStart',
    default: 10,
    check: { kind: 'count', min: 0 },
    section: 'LR range test',
    joinNext: true,
    help: 'points left out at the start',
  },
  {
    flag: 'skip-end',
    arg: 'N',
    key: 'skipEnd',
    default: 5,
    check: { kind: 'count', min: 0 },
    section: 'LR range test',
    help: 'points left out of the plot and the suggestion (default {skip-start} and {default})',
  },
] as const satisfies readonly SettingDeclaration[];

/** fastai 0.7's lr_find2(start_lr, end_lr, num_it, wds, linear, stop_dv), skip_start and skip_end: the declarations'. */
export type LrFindOptions = SettingValues<DefaultsOfTheirType<typeof DECLARED>>;

export const LR_FIND_SETTINGS: readonly SettingDeclaration<keyof LrFindOptions>[] = DECLARED;

/** fastai 0.7's lr_find2 defaults, from the declarations. */
export const DEFAULT_LR_FIND = Object.freeze(
  Object.fromEntries(LR_FIND_SETTINGS.map((s) => [s.key, s.default])),
) as LrFindOptions;
