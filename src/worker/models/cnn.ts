import * as tf from '@tensorflow/tfjs';
import { LayerFactory } from './layerFactory.js';
import type { ModelSpec } from './ModelSpec.js';

type Sym = tf.SymbolicTensor;

/** Layer groups (where each starts): the first conv stage, the second, the head. */
export const CNN_LAYER_GROUPS = ['conv1', 'conv2', 'head'];

/** A small, fast convnet: two conv3x3-BN-ReLU stages with stride-2 downsampling (16, 32 channels), pool, dense. */
export function cnn(s: ModelSpec): tf.LayersModel {
  const f = new LayerFactory(s.seed);
  const input = tf.input({ shape: s.inputShape, name: 'input' });
  let x: Sym = input;
  [16, 32].forEach((filters, i) => {
    x = f.conv(`conv${i + 1}`, filters, 3, 2).apply(x) as Sym;
    x = f.batchNorm(`bn${i + 1}`).apply(x) as Sym;
    x = f.relu(`relu${i + 1}`).apply(x) as Sym;
  });
  const pooled = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(x) as Sym;
  const out = f.dense('head_dense', s.numClasses).apply(pooled) as Sym;
  return tf.model({ inputs: input, outputs: out, name: 'cnn' });
}
