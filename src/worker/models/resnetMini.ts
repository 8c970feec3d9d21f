import * as tf from '@tensorflow/tfjs';
import { LayerFactory, basicBlock, head, stem } from './layerFactory.js';
import type { ModelSpec } from './ModelSpec.js';

/** Layer groups (where each starts): the stem and first block, the middle blocks, the head. */
export const RESNET_MINI_LAYER_GROUPS = ['stem', 'block2', 'head'];

/**
 * The reference net for 28x28 inputs: stem conv3x3->32 + BN + ReLU; basic blocks of 32 (stride 1), 64 (stride 2)
 * and 128 (stride 2) channels; global average pool; dense. ~308k parameters, 74 MFLOP forward per 28x28 image.
 */
export function resnetMini(s: ModelSpec): tf.LayersModel {
  const f = new LayerFactory(s.seed);
  const input = tf.input({ shape: s.inputShape, name: 'input' });
  let x = stem(f, input, 32);
  x = basicBlock(f, x, 'block1', 32, 1);
  x = basicBlock(f, x, 'block2', 64, 2);
  x = basicBlock(f, x, 'block3', 128, 2);
  return tf.model({ inputs: input, outputs: head(f, x, s.numClasses), name: 'resnet-mini' });
}
