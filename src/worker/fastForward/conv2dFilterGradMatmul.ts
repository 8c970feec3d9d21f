/**
 * A conv2d (NHWC, dilation 1) whose filter gradient is a batch of matrix products, for GPU backends.
 * tfjs-backend-webgpu's own filter gradient (Conv2DDerFilterProgram) runs one thread per filter weight, each
 * looping serially over batch x height x width: a few thousand threads on a GPU that wants hundreds of thousands,
 * and float32 sums of up to n x H x W terms. Here dW = sum over examples of colsᵀ · dy, with cols the example's
 * im2col patches [H_out·W_out, KH·KW·C_in] and dy its [H_out·W_out, C_out]: a batched matMul (one per example, in
 * parallel; each sums H_out·W_out terms) and a sum over the batch, both deterministic. The input gradient is
 * tfjs's own (conv2dTranspose = Conv2DBackpropInput).
 */
import * as tf from '@tensorflow/tfjs';

type Padding = 'same' | 'valid';

/** TensorFlow's padding: output size and the padding before (top or left) along one spatial axis. */
function padAlong(
  size: number,
  k: number,
  stride: number,
  padding: Padding,
): { out: number; before: number; total: number } {
  if (padding === 'valid') return { out: Math.ceil((size - k + 1) / stride), before: 0, total: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return { out, before: Math.floor(total / 2), total };
}

/** dW [KH, KW, C_in, C_out] of a conv2d of x [n, H, W, C_in] that gave dy [n, H_out, W_out, C_out]. */
function filterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  k: [number, number],
  strides: [number, number],
  padding: Padding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, cin] = x.shape;
    const cout = dy.shape[3];
    const ph = padAlong(h, k[0], strides[0], padding);
    const pw = padAlong(w, k[1], strides[1], padding);
    const xp =
      ph.total || pw.total
        ? tf.pad(x, [
            [0, 0],
            [ph.before, ph.total - ph.before],
            [pw.before, pw.total - pw.before],
            [0, 0],
          ])
        : x;
    const taps: tf.Tensor[] = [];
    for (let i = 0; i < k[0]; i++) {
      for (let j = 0; j < k[1]; j++) {
        const end = [n, i + strides[0] * (ph.out - 1) + 1, j + strides[1] * (pw.out - 1) + 1, cin];
        taps.push(tf.stridedSlice(xp, [0, i, j, 0], end, [1, strides[0], strides[1], 1]));
      }
    }
    // [n, H_out·W_out, KH·KW·C_in], taps in (kh, kw) order and channels within: dW's memory order.
    const cols = tf.concat(taps, 3).reshape([n, ph.out * pw.out, k[0] * k[1] * cin]) as tf.Tensor3D;
    const perExample = tf.matMul(cols, dy.reshape([n, ph.out * pw.out, cout]) as tf.Tensor3D, true, false);
    return tf.sum(perExample, 0).reshape([k[0], k[1], cin, cout]) as tf.Tensor4D;
  });
}

/** tf.conv2d(x, filter, strides, padding) with filterGradient as the filter's gradient. */
export function conv2dFilterGradMatmul(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  padding: Padding,
): tf.Tensor4D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xx, ff, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xx, ff]);
    return {
      value: tf.conv2d(xx, ff, strides, padding),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const d = dy as tf.Tensor4D;
        return [
          tf.conv2dTranspose(d, sf, sx.shape, strides, padding),
          filterGradient(sx, d, [sf.shape[0], sf.shape[1]], strides, padding),
        ];
      },
    };
  });
  return f(x, filter) as tf.Tensor4D;
}
