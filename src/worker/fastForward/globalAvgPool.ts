/**
 * Global average pooling [B,H,W,C] -> [B,C] with a one-pass backward (a broadcast multiply) instead of the
 * mean gradient's ones-fill, multiply and divide over the whole activation.
 */
import * as tf from '@tensorflow/tfjs';

export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.mean(args[0] as tf.Tensor, [1, 2]),
    gradFunc: (dy: tf.Tensor) => tf.mul(tf.reshape(dy, [b, 1, 1, c]), tf.fill([1, h, w, 1], 1 / (h * w))),
  }));
  return f(x) as tf.Tensor2D;
}
