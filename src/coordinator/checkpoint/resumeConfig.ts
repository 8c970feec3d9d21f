import { ConfigError, type FitConfig, MAY_CHANGE_ON_RESUME as MAY_CHANGE } from '../../shared/config/index.js';

/**
 * The config of a resumed run: the checkpoint's (schedule, model, data, seed, length), with the given settings that
 * change only where it runs (--workers, --listen, ...). Any other given setting that differs is a ConfigError naming it.
 */
export function resumeConfig(saved: FitConfig, given: Partial<FitConfig>, runDir: string): Partial<FitConfig> {
  // Where the workers come from is this invocation's: local ones unless --listen / --gpus are given again; the same
  // for whether it goes on without a lost worker (--elastic).
  // A checkpoint written before dropLast and padMode existed (issue 16) is of a run that dropped the last partial
  // batch and padded its crops with zeros: it goes on that way.
  const before: Pick<FitConfig, 'dropLast' | 'padMode'> = { dropLast: true, padMode: 'zeros' };
  const out: FitConfig = { ...before, ...saved, out: runDir, listen: '', gpus: [], elastic: false, minWorkers: 1 };
  for (const [key, value] of Object.entries(given) as [keyof FitConfig, unknown][]) {
    if (value === undefined || key === 'out') continue;
    if (MAY_CHANGE.includes(key)) {
      (out as unknown as Record<string, unknown>)[key] = value;
    } else if (JSON.stringify(value) !== JSON.stringify(out[key])) {
      throw new ConfigError(
        `--resume continues the run with its own ${key} (${JSON.stringify(out[key])}), got ${JSON.stringify(value)}; ` +
          `only ${MAY_CHANGE.join(', ')} may change`,
      );
    }
  }
  return out;
}
