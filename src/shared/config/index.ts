export type { FitConfig, BackendName, SpawnMode, WeightDecayMode, PadMode } from './FitConfig.js';
export { DEFAULT_FIT_CONFIG, MAY_CHANGE_ON_RESUME } from './FitConfig.js';
export { resolveFitConfig, defaultSpawn, GPU_BACKENDS } from './resolveFitConfig.js';
export {
  BACKEND_NAMES,
  FIT_SETTINGS,
  MAX_COUNT,
  type OneCycleParams,
  settingLabel,
  type SettingDeclaration,
  type SettingCheck,
} from './fitSettings.js';
export { custom, type DefaultsOfTheirType, type SettingValues } from './settingValues.js';
export { checkDeclared } from './checkDeclared.js';
export { resolveGroupValues, type GroupedFitConfig } from './resolveGroupValues.js';
export { ConfigError } from './ConfigError.js';
export { parseDataSpec, DATA_SPEC_FORMS, DEFAULT_DATA_SPEC } from './parseDataSpec.js';
export { ENV_SETTINGS, readSettings, settings, settingVariable, type Settings } from './settings.js';
export { rendezvousFromEnv, type EnvRendezvous } from './rendezvousFromEnv.js';
export { parseHostPort, formatHostPort } from './hostPort.js';
export { LAUNCHED_BY_VARIABLE } from './launchedBy.js';
export { epochLength, batchExamples } from './epochLength.js';
