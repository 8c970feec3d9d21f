export { DEFAULT_FIT_CONFIG, type FitConfig, type OneCycleParams, type SchedulePolicy, type BackendName, type SpawnMode, type WeightDecayMode } from './FitConfig.js';
export { resolveFitConfig } from './resolveFitConfig.js';
export { resolveGroupValues } from './resolveGroupValues.js';
export { ConfigError } from './ConfigError.js';
