import { ConfigError } from './ConfigError.js';
import type { FitConfig } from './FitConfig.js';

/** A config completed against the model's layer groups: every group's lr and weight decay, where each group starts. */
export type GroupedFitConfig = FitConfig & Required<Pick<FitConfig, 'lrs' | 'wds' | 'layerGroups'>>;

/**
 * Completes a resolved config against the model's layer groups (`groups`: each group's first layer name, in order):
 * checks that `--lr` and `--wd` give one value or one per group and that `--freeze-to` leaves a group to train, then
 * returns the config with `lrs` and `wds` listing every group's value and `layerGroups` naming where each group starts
 * (so that a resumed run rebuilds the same groups). Errors are ConfigErrors that name the flag and the groups.
 */
export function resolveGroupValues(c: FitConfig, groups: readonly string[]): GroupedFitConfig {
  const n = groups.length;
  if (n === 0) throw new ConfigError(`the model ${c.model} has no layer groups`);
  const named = `the model ${c.model} has ${n} layer group${n === 1 ? '' : 's'} (starting at ${groups.join(', ')})`;
  const expand = (flag: string, one: number, many: number[] | undefined): number[] => {
    if (many === undefined || many.length === 1) return new Array<number>(n).fill(many?.[0] ?? one);
    if (many.length !== n) {
      throw new ConfigError(
        `${flag} gives ${many.length} values but ${named}: give one value per group, or one for all`,
      );
    }
    return [...many];
  };
  const lrs = expand('--lr', c.lr, c.lrs);
  const wds = expand('--wd', c.wd, c.wds);
  if (c.freezeTo >= n) {
    throw new ConfigError(`--freeze-to ${c.freezeTo} is past the last layer group: ${named}, so it takes 0..${n - 1}`);
  }
  return { ...c, lr: lrs[n - 1], lrs, wd: wds[n - 1], wds, layerGroups: [...groups] };
}
