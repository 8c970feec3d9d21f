/**
 * Training-mode batch normalisation over all axes but the channels, with a hand-written backward pass.
 *
 * tfjs' own path (tf.moments + tf.batchNorm and their gradients) costs ~20 full passes over the activation
 * per layer, including a Tile; this one costs 6 forward and 7 backward, all channel-vectorised on wasm:
 *   y  = (x - mean) * a + beta,               a = gamma / sqrt(var + eps)
 *   dx = a * (dy - mean(dy) - xc * mean(dy * xc) / (var + eps)),   xc = x - mean
 *   dgamma = sum(dy * xc) / sqrt(var + eps),  dbeta = sum(dy)
 * The batch statistics (mean, biased variance, as tf.moments) are returned for the moving averages; they
 * are kept out of the forward's tidy, so the caller disposes them. `updateStats`, when given, is called with them
 * inside the forward, where tfjs's tape does not record: the moving averages' ops then add no tape nodes and no
 * saved-tensor clones to the step (resnet-mini at batch 64: 249 engine kernels a step instead of 357).
 * On wasm (with the project's kernels registered, channels a multiple of 4) the same formulas run as two fused
 * kernels, 3 passes forward and 2 backward (kernels/batchNormTrainFused.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, fusedBatchNormTakes } from '../kernels/index.js';

/** Called with the batch mean and variance inside the forward (see the file comment). */
export type UpdateStats = (mean: tf.Tensor, variance: tf.Tensor) => void;

export interface BatchNormResult {
  y: tf.Tensor;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** The fused wasm kernels' version of the function below. */
function batchNormTrainFused(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  relu: boolean,
  updateStats?: UpdateStats,
): BatchNormResult {
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | undefined;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance, a, inv] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAIN, { x: xIn, gamma: g, beta: b }, { epsilon, relu }) as tf.Tensor[];
    save([xIn, mean, a, inv, b]);
    updateStats?.(mean, variance);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xS, meanS, aS, invS, bS] = saved;
        return tf
          .engine()
          .runKernel(
            BATCH_NORM_TRAIN_GRAD,
            { dy, x: xS, mean: meanS, a: aS, inv: invS, beta: bS },
            { relu },
          ) as tf.Tensor[];
      },
    };
  });
  const y = f(x, gamma, beta);
  if (stats == null) throw new Error('batchNormTrain: the forward pass did not run');
  return { y, ...stats };
}

/** Batch norm of x (training mode), followed by a ReLU when `relu` (fused on wasm, a separate tf.relu elsewhere). */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  relu = false,
  updateStats?: UpdateStats,
): BatchNormResult {
  if (
    tf.getBackend() === 'wasm' &&
    tf.getKernel(BATCH_NORM_TRAIN, 'wasm') != null &&
    x.dtype === 'float32' &&
    fusedBatchNormTakes(x.shape)
  ) {
    return batchNormTrainFused(x, gamma, beta, epsilon, relu, updateStats);
  }
  if (relu) {
    const r = batchNormTrain(x, gamma, beta, epsilon, false, updateStats);
    return { ...r, y: tf.relu(r.y) };
  }
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / x.shape[x.rank - 1];
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | undefined;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const mean = tf.mean(xIn, axes);
    const xc = tf.sub(xIn, mean);
    const variance = tf.mean(tf.square(xc), axes);
    const inv = tf.rsqrt(tf.add(variance, epsilon));
    const a = tf.mul(g, inv);
    const y = tf.add(tf.mul(xc, a), b);
    save([xc, inv, a]);
    updateStats?.(mean, variance);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) }; // the forward runs in a tidy
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xcS, invS, aS] = saved;
        const d = dy;
        const meanDy = tf.mean(d, axes);
        const meanDyXc = tf.mean(tf.mul(d, xcS), axes);
        const k = tf.mul(tf.square(invS), meanDyXc);
        const dx = tf.mul(tf.sub(tf.sub(d, tf.mul(xcS, k)), meanDy), aS);
        const dGamma = tf.mul(tf.mul(meanDyXc, invS), count);
        const dBeta = tf.mul(meanDy, count);
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = f(x, gamma, beta);
  if (stats == null) throw new Error('batchNormTrain: the forward pass did not run');
  return { y, ...stats };
}
