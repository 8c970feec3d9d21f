export { DEFAULT_FIT_CONFIG, type FitConfig, type OneCycleParams, type SchedulePolicy, type BackendName, type SpawnMode, type WeightDecayMode, type PadMode } from './FitConfig.js';
export { resolveFitConfig, defaultSpawn, MAX_COUNT, GPU_BACKENDS } from './resolveFitConfig.js';
export { resolveGroupValues } from './resolveGroupValues.js';
export { ConfigError } from './ConfigError.js';
export { readSettings, settings, settingVariable, type Settings } from './settings.js';
export { rendezvousFromEnv, DEFAULT_MASTER_PORT, type EnvRendezvous } from './rendezvousFromEnv.js';
export { parseHostPort, formatHostPort } from './hostPort.js';
export { LAUNCHED_BY_VARIABLE } from './launchedBy.js';
export { epochLength, batchExamples } from './epochLength.js';
