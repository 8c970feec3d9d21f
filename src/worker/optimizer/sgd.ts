/**
 * SGD with momentum and weight decay over flat float32 buffers (PyTorch's semantics, which fastai 0.7 and
 * Leslie Smith used). lr, momentum and weight decay come with every step from the coordinator.
 *   coupled (default, fastai 0.7's `wds`):  g <- g + wd*w;  v <- mu*v + g;  w <- w - lr*v
 *   decoupled (fastai's use_wd_sched):       w <- w - lr*wd*w; v <- mu*v + g; w <- w - lr*v
 * v starts at 0 (so the first step is v = g, as in PyTorch).
 */
import type { WeightDecayMode } from '../../shared/config/index.js';
export type { WeightDecayMode };

export interface SgdHyperparameters {
  lr: number;
  momentum: number;
  weightDecay: number;
  mode: WeightDecayMode;
}

/** Updates `w` and `v` in place from the gradient `g`, over [start, end) (the whole buffer by default). */
export function sgdStep(
  w: Float32Array,
  g: Float32Array,
  v: Float32Array,
  h: SgdHyperparameters,
  start = 0,
  end = w.length,
): void {
  if (g.length !== w.length || v.length !== w.length) {
    throw new RangeError(
      `sgd: buffer lengths differ (weights ${w.length}, gradient ${g.length}, momentum ${v.length})`,
    );
  }
  const { lr, momentum: mu, weightDecay: wd } = h;
  if (h.mode === 'coupled') {
    for (let i = start; i < end; i++) {
      const vi = mu * v[i] + (g[i] + wd * w[i]);
      v[i] = vi;
      w[i] -= lr * v[i];
    }
  } else {
    const shrink = 1 - lr * wd;
    for (let i = start; i < end; i++) {
      v[i] = mu * v[i] + g[i];
      w[i] = w[i] * shrink - lr * v[i];
    }
  }
}
