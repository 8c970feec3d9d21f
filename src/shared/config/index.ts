export type {
  FitConfig,
  OneCycleParams,
  SchedulePolicy,
  BackendName,
  SpawnMode,
  WeightDecayMode,
  PadMode,
} from './FitConfig.js';
export { BACKEND_NAMES } from './FitConfig.js';
export { resolveFitConfig, defaultSpawn, GPU_BACKENDS } from './resolveFitConfig.js';
export {
  DEFAULT_FIT_CONFIG,
  FIT_SETTINGS,
  MAY_CHANGE_ON_RESUME,
  MAX_COUNT,
  SECTIONS,
  settingLabel,
  type SettingDeclaration,
  type SettingCheck,
} from './fitSettings.js';
export { checkDeclared } from './checkDeclared.js';
export { resolveGroupValues, type GroupedFitConfig } from './resolveGroupValues.js';
export { ConfigError } from './ConfigError.js';
export { ENV_SETTINGS, readSettings, settings, settingVariable, type Settings } from './settings.js';
export { rendezvousFromEnv, DEFAULT_MASTER_PORT, type EnvRendezvous } from './rendezvousFromEnv.js';
export { parseHostPort, formatHostPort } from './hostPort.js';
export { LAUNCHED_BY_VARIABLE } from './launchedBy.js';
export { epochLength, batchExamples } from './epochLength.js';
