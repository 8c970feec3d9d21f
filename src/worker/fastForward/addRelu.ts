/**
 * relu(a + b) for a residual block's end: on wasm one fused pass forward and one backward (kernels/addReluFused.ts),
 * where the gradient reaching a and b is dy masked by the output; elsewhere tf.relu(tf.add(a, b)).
 */
import * as tf from '@tensorflow/tfjs';
import { ADD_RELU, ADD_RELU_GRAD, fusedAddReluTakes } from '../kernels/index.js';

const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b] = args as tf.Tensor[];
  const save = args[2] as tf.GradSaveFunc;
  const y = tf.engine().runKernel(ADD_RELU, { a, b }, {}) as tf.Tensor;
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = tf.engine().runKernel(ADD_RELU_GRAD, { dy, y: saved[0] }, {}) as tf.Tensor;
      return [g, tf.clone(g)];
    },
  };
});

export function addRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (tf.getBackend() === 'wasm' && tf.getKernel(ADD_RELU, 'wasm') != null && fusedAddReluTakes(a, b)) {
    return fused(a, b);
  }
  return tf.relu(tf.add(a, b));
}
