import * as tf from '@tensorflow/tfjs';
import { LayerFactory } from './layerFactory.js';
import type { ModelSpec } from './ModelSpec.js';

type Sym = tf.SymbolicTensor;

/** Layer groups (where each starts): the hidden layer, the head. */
export const MLP_LAYER_GROUPS = ['hidden', 'head'];

/** 784-128-10 for 28x28 inputs: flatten, one hidden ReLU layer of 128, dense logits. */
export function mlp(s: ModelSpec): tf.LayersModel {
  const f = new LayerFactory(s.seed);
  const input = tf.input({ shape: s.inputShape, name: 'input' });
  const flat = tf.layers.flatten({ name: 'flatten' }).apply(input) as Sym;
  const hidden = f.dense('hidden', 128, 'relu').apply(flat) as Sym;
  const out = f.dense('head_dense', s.numClasses).apply(hidden) as Sym;
  return tf.model({ inputs: input, outputs: out, name: 'mlp' });
}
