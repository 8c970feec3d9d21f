import * as tf from '@tensorflow/tfjs';
import { LayerFactory, basicBlock, head, stem } from './layerFactory.js';
import type { ModelSpec } from './ModelSpec.js';

/** Layer groups (where each starts): the stem and first stage, the middle stages, the head. */
export const RESNET_CIFAR_LAYER_GROUPS = ['stem', 'stage2', 'head'];

/**
 * He et al.'s CIFAR ResNets (depth 6n+2): a 16-channel stem, 3 stages of n basic blocks with 16/32/64 channels
 * (stride 2 entering stages 2 and 3, with 1x1 projection shortcuts there), global average pool, dense.
 * n = 3 gives ResNet-20, n = 9 ResNet-56 (the seed's model).
 */
export function resnetCifar(s: ModelSpec, n: number): tf.LayersModel {
  const f = new LayerFactory(s.seed);
  const input = tf.input({ shape: s.inputShape, name: 'input' });
  let x = stem(f, input, 16);
  [16, 32, 64].forEach((filters, stage) => {
    for (let b = 0; b < n; b++) {
      x = basicBlock(f, x, `stage${stage + 1}_block${b + 1}`, filters, stage > 0 && b === 0 ? 2 : 1);
    }
  });
  return tf.model({ inputs: input, outputs: head(f, x, s.numClasses), name: `resnet${6 * n + 2}` });
}
