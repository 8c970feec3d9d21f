import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sgdStep } from '../../src/worker/optimizer/index.js';

/** Float64 reference of PyTorch's SGD (dampening 0, nesterov off), with hand-checked first steps below. */
function reference(
  w0: number[],
  grads: number[][],
  hs: { lr: number; mu: number; wd: number }[],
  mode: 'coupled' | 'decoupled',
) {
  const w = [...w0];
  const v = w0.map(() => 0);
  hs.forEach((h, t) => {
    for (let i = 0; i < w.length; i++) {
      let g = grads[t][i];
      if (mode === 'coupled') g += h.wd * w[i];
      else w[i] -= h.lr * h.wd * w[i];
      v[i] = h.mu * v[i] + g;
      w[i] -= h.lr * v[i];
    }
  });
  return { w, v };
}

const hs = [
  { lr: 0.1, mu: 0.9, wd: 0.01 },
  { lr: 0.2, mu: 0.8, wd: 0.01 },
  { lr: 0.05, mu: 0.95, wd: 0.01 },
];
const grads = [
  [1, -2, 0.5],
  [0.5, 0.5, -1],
  [-1, 1, 2],
];

for (const mode of ['coupled', 'decoupled'] as const) {
  test(`sgd ${mode}: matches the reference with lr and momentum changing every step`, () => {
    const w = new Float32Array([1, 2, -3]);
    const v = new Float32Array(3);
    hs.forEach((h, t) =>
      sgdStep(w, new Float32Array(grads[t]), v, { lr: h.lr, momentum: h.mu, weightDecay: h.wd, mode }),
    );
    const ref = reference([1, 2, -3], grads, hs, mode);
    ref.w.forEach((x, i) => assert.ok(Math.abs(w[i] - x) < 1e-6, `w[${i}] ${w[i]} vs ${x}`));
    ref.v.forEach((x, i) => assert.ok(Math.abs(v[i] - x) < 1e-6, `v[${i}] ${v[i]} vs ${x}`));
  });
}

test('sgd coupled: first step by hand', () => {
  // g = 1 + 0.01*1 = 1.01; v = 1.01; w = 1 - 0.1*1.01 = 0.899
  const w = new Float32Array([1]);
  const v = new Float32Array(1);
  sgdStep(w, new Float32Array([1]), v, { lr: 0.1, momentum: 0.9, weightDecay: 0.01, mode: 'coupled' });
  assert.ok(Math.abs(v[0] - 1.01) < 1e-7);
  assert.ok(Math.abs(w[0] - 0.899) < 1e-7);
  // second step, lr 0.2, mu 0.8, g = 0.5: g' = 0.5 + 0.00899 = 0.50899; v = 0.8*1.01 + 0.50899 = 1.31699; w = 0.899 - 0.263398
  sgdStep(w, new Float32Array([0.5]), v, { lr: 0.2, momentum: 0.8, weightDecay: 0.01, mode: 'coupled' });
  assert.ok(Math.abs(v[0] - 1.31699) < 1e-6, `${v[0]}`);
  assert.ok(Math.abs(w[0] - 0.635602) < 1e-6, `${w[0]}`);
});

test('sgd decoupled: first step by hand', () => {
  // w = 1 - 0.1*0.01*1 = 0.999; v = 1; w = 0.999 - 0.1 = 0.899
  const w = new Float32Array([1]);
  const v = new Float32Array(1);
  sgdStep(w, new Float32Array([1]), v, { lr: 0.1, momentum: 0.9, weightDecay: 0.01, mode: 'decoupled' });
  assert.ok(Math.abs(v[0] - 1) < 1e-7);
  assert.ok(Math.abs(w[0] - 0.899) < 1e-7);
  // step 2 (lr .2, mu .8, g .5): w = 0.899*(1 - 0.002) = 0.897202; v = 0.8 + 0.5 = 1.3; w = 0.897202 - 0.26 = 0.637202
  sgdStep(w, new Float32Array([0.5]), v, { lr: 0.2, momentum: 0.8, weightDecay: 0.01, mode: 'decoupled' });
  assert.ok(Math.abs(v[0] - 1.3) < 1e-6);
  assert.ok(Math.abs(w[0] - 0.637202) < 1e-6, `${w[0]}`);
});

test('sgd: mismatched buffer lengths are an error', () => {
  assert.throws(
    () =>
      sgdStep(new Float32Array(2), new Float32Array(3), new Float32Array(2), {
        lr: 1,
        momentum: 0,
        weightDecay: 0,
        mode: 'coupled',
      }),
    /lengths differ/,
  );
});
