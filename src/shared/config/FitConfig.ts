/**
 * Every hyper-parameter and setting of a run, in one typed object. Its type and defaults are derived from the setting
 * declarations (fitSettings.ts: flag, type, default, check, help); the resolved config is saved with every result
 * (summary.json) and sent to the workers as JSON.
 */
import {
  FIT_SETTINGS,
  type FitSettingKey,
  type FitSettingsTable,
  type OneCycleParams,
  type SettingDeclaration,
} from './fitSettings.js';
import type { DefaultsOfTheirType, SettingValues } from './settingValues.js';

/** The keys no flag sets: the per-group lists come from `--lr`/`--wd` lists; evalEveryEpoch from the API only. */
interface UnflaggedSettings {
  /**
   * One learning rate per layer group (fastai 0.7's `lrs`), first group first; absent: `lr` for every group. The
   * schedule scales them all by the same factor each step. When given, `lr` is its last value.
   */
  lrs?: number[];
  /** One weight decay per layer group; absent: `wd` for every group. When given, `wd` is its last value. */
  wds?: number[];
  /** Evaluate the whole validation split after every epoch. */
  evalEveryEpoch: boolean;
}

/** The run's settings: one key per declaration in fitSettings.ts (of the type its check names), and the lists. */
export interface FitConfig extends SettingValues<DefaultsOfTheirType<FitSettingsTable>>, UnflaggedSettings {}

export type { OneCycleParams };
export type WeightDecayMode = FitConfig['wdMode'];
export type BackendName = FitConfig['backend'];
export type SpawnMode = FitConfig['spawn'];
/** How the random crop pads: reflect (fastai 0.7's CIFAR transforms, cv2.BORDER_REFLECT) or zeros (torchvision's default). */
export type PadMode = FitConfig['padMode'];

const UNFLAGGED_DEFAULTS: UnflaggedSettings = { lrs: undefined, wds: undefined, evalEveryEpoch: true };

/** Every FitConfig key's default, from the declarations. */
export const DEFAULT_FIT_CONFIG: FitConfig = Object.freeze(
  Object.fromEntries([
    ...FIT_SETTINGS.filter((s) => s.key !== undefined && 'default' in s).map((s) => [s.key, s.default]),
    ...Object.entries(UNFLAGGED_DEFAULTS),
  ]) as unknown as FitConfig,
);

/** The config keys a resumed run may change, in declaration order. */
export const MAY_CHANGE_ON_RESUME: readonly (keyof FitConfig)[] = FIT_SETTINGS.filter(
  (s): s is SettingDeclaration<FitSettingKey> & { key: FitSettingKey } => s.mayChangeOnResume === true && !!s.key,
).map((s) => s.key);
