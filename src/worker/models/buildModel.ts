import type * as tf from '@tensorflow/tfjs';
import { BUILT_IN_MODEL_NAMES, type BuiltInModelName, isBuiltInModel } from '../../shared/models/index.js';
import { cnn, CNN_LAYER_GROUPS } from './cnn.js';
import type { ModelSpec } from './ModelSpec.js';
import { mlp, MLP_LAYER_GROUPS } from './mlp.js';
import { resnetCifar, RESNET_CIFAR_LAYER_GROUPS } from './resnetCifar.js';
import { resnetMini, RESNET_MINI_LAYER_GROUPS } from './resnetMini.js';

/** The built-in architectures, by the name used on the command line (BUILT_IN_MODEL_NAMES, exactly). */
const BUILT_IN_MODELS = {
  'resnet-mini': resnetMini,
  resnet20: (s: ModelSpec) => resnetCifar(s, 3),
  resnet56: (s: ModelSpec) => resnetCifar(s, 9),
  cnn,
  mlp,
} as const satisfies Record<BuiltInModelName, (s: ModelSpec) => tf.LayersModel>;

/** Where each built-in model's layer groups start (layer-name prefixes, see resolveLayerGroups). */
export const BUILT_IN_LAYER_GROUPS: Record<BuiltInModelName, readonly string[]> = {
  'resnet-mini': RESNET_MINI_LAYER_GROUPS,
  resnet20: RESNET_CIFAR_LAYER_GROUPS,
  resnet56: RESNET_CIFAR_LAYER_GROUPS,
  cnn: CNN_LAYER_GROUPS,
  mlp: MLP_LAYER_GROUPS,
};

/** Builds a built-in model; an unknown name is an error listing the known ones. */
export function buildModel(name: string, spec: ModelSpec): tf.LayersModel {
  if (!isBuiltInModel(name)) {
    throw new Error(
      `unknown model '${name}': use one of ${BUILT_IN_MODEL_NAMES.join(', ')}, or a path to a tfjs model.json`,
    );
  }
  return BUILT_IN_MODELS[name](spec);
}
