import { existsSync } from 'node:fs';
import { ConfigError, GPU_BACKENDS, type BackendName, type FitConfig } from '../shared/config/index.js';
import type { Logger } from '../shared/log/index.js';
import { BUILT_IN_MODEL_NAMES, isBuiltInModel } from '../shared/models/index.js';

/**
 * `--model` names a built-in model or a path to a tfjs model.json (on the workers' disks, which may not be this
 * machine's): a bare name that is neither built in nor a file here (`resnet99`) is refused before anything starts,
 * listing the built-in names.
 */
export function checkModelName(model: string): void {
  if (isBuiltInModel(model)) return;
  const looksLikePath = model.includes('/') || model.includes('\\') || model.endsWith('.json');
  if (!looksLikePath && !existsSync(model)) {
    throw new ConfigError(
      `--model ${model}: no built-in model of that name (${BUILT_IN_MODEL_NAMES.join(', ')}) and no such file; give one of those or a path to a tfjs model.json`,
    );
  }
}

/** --gpus with --backend auto that resolved to a backend without a GPU: said, since the GPUs then sit idle. */
export function warnUnusedGpus(config: FitConfig, backend: string, log: Logger): void {
  if (config.gpus.length > 0 && !GPU_BACKENDS.includes(backend as BackendName)) {
    log.warn(
      { gpus: config.gpus, backend },
      `--gpus ${config.gpus.join(',')}: the workers run on ${backend}, which does not use a GPU (is @tensorflow/tfjs-node-gpu installed?); ` +
        `give --backend ${GPU_BACKENDS.join(' or ')} to refuse to run without one`,
    );
  }
}
