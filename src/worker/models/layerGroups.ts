import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../shared/config/index.js';

/** One layer group: consecutive layers of a model (model.layers order), trained with one lr and wd. */
export interface LayerGroup {
  /** Layer names, first to last. */
  layers: string[];
  /** Trainable values in the group. */
  parameterCount: number;
}

/**
 * Splits a model's layers into consecutive groups. `starts` gives where each group starts: a layer index into
 * model.layers (an entry of digits) or a layer name, or else a prefix of one (the first layer, in order, whose name
 * starts with it). Layers before the first start belong to the first group. Without `starts` the model is one group.
 * `flag` names the source in errors (`--layer-groups` or the built-in model). Every group must hold trainable weights.
 */
export function resolveLayerGroups(
  model: tf.LayersModel,
  starts: readonly string[] | undefined,
  flag: string,
): LayerGroup[] {
  const layers = model.layers;
  const at = starts === undefined ? [0] : starts.map((s) => findLayer(layers, s.trim(), flag));
  for (let g = 1; g < at.length; g++) {
    if (at[g] <= at[g - 1]) {
      throw new ConfigError(
        `${flag}: group ${g} starts at layer ${at[g]} (${layers[at[g]].name}), not after group ${g - 1}'s start ` +
          `(layer ${at[g - 1]}, ${layers[at[g - 1]].name}); give the groups' first layers in model order`,
      );
    }
  }
  at[0] = 0;
  return at.map((start, g) => {
    const members = layers.slice(start, g + 1 < at.length ? at[g + 1] : layers.length);
    const parameterCount = members.reduce(
      (n, l) => n + l.trainableWeights.reduce((m, w) => m + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0),
      0,
    );
    if (parameterCount === 0) {
      throw new ConfigError(
        `${flag}: group ${g} (layers ${members.map((l) => l.name).join(', ')}) holds no trainable weights`,
      );
    }
    return { layers: members.map((l) => l.name), parameterCount };
  });
}

function findLayer(layers: tf.layers.Layer[], spec: string, flag: string): number {
  if (/^\d+$/.test(spec)) {
    const i = Number(spec);
    if (i >= layers.length)
      throw new ConfigError(`${flag}: layer index ${i} is past the model's last layer (${layers.length - 1})`);
    return i;
  }
  const exact = layers.findIndex((l) => l.name === spec);
  if (exact >= 0) return exact;
  const prefixed = layers.findIndex((l) => l.name.startsWith(spec));
  if (prefixed >= 0) return prefixed;
  const names = layers.map((l) => l.name);
  const shown = names.length > 40 ? `${names.slice(0, 40).join(', ')}, ... (${names.length} in all)` : names.join(', ');
  throw new ConfigError(`${flag}: '${spec}' matches no layer name; the model's layers are ${shown}`);
}
