import type { FitConfig } from '../shared/config/index.js';
import type { LayerGroupInfo__Output } from '../shared/proto/generated/superconverge/v1/LayerGroupInfo.js';

/** One log line on the model's layer groups: their layers, sizes, lr and wd, and which are frozen. */
export function describeLayerGroups(groups: readonly LayerGroupInfo__Output[], c: FitConfig): string {
  return groups
    .map((g, i) => {
      const span = g.layers.length > 1 ? `${g.layers[0]}..${g.layers[g.layers.length - 1]}` : g.layers[0];
      const how = i < c.freezeTo ? 'frozen' : `lr ${c.lrs?.[i] ?? c.lr}, wd ${c.wds?.[i] ?? c.wd}`;
      return `${i}: ${span} (${g.parameterCount} values, ${how})`;
    })
    .join('; ');
}
