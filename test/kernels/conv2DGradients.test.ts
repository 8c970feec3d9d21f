import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareBackends, seeded, seededTensor } from './compare.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  name: string;
  b: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: [number, number];
  s: [number, number];
  pad: Pad;
}

const c = (
  name: string,
  b: number,
  h: number,
  w: number,
  ci: number,
  co: number,
  k: number | [number, number],
  s: number | [number, number],
  pad: Pad = 'same',
): Case => ({
  name,
  b,
  h,
  w,
  ci,
  co,
  k: typeof k === 'number' ? [k, k] : k,
  s: typeof s === 'number' ? [s, s] : s,
  pad,
});

// resnet-mini's convolutions (batch kept small), then strides/kernels/paddings/odd sizes, then random ones.
const resnetMini: Case[] = [
  c('stem 28x28x1->32 k3', 2, 28, 28, 1, 32, 3, 1),
  c('block1 28x28x32->32 k3', 2, 28, 28, 32, 32, 3, 1),
  c('block2a 28x28x32->64 k3 s2', 2, 28, 28, 32, 64, 3, 2),
  c('block2b 14x14x64->64 k3', 2, 14, 14, 64, 64, 3, 1),
  c('block2 proj 28x28x32->64 k1 s2', 2, 28, 28, 32, 64, 1, 2),
  c('block3a 14x14x64->128 k3 s2', 2, 14, 14, 64, 128, 3, 2),
  c('block3b 7x7x128->128 k3', 2, 7, 7, 128, 128, 3, 1),
  c('block3 proj 14x14x64->128 k1 s2', 2, 14, 14, 64, 128, 1, 2),
];
const variety: Case[] = [
  c('k1 s1', 3, 6, 5, 4, 3, 1, 1),
  c('k1 s3 valid', 2, 10, 11, 3, 5, 1, 3, 'valid'),
  c('k3 s3 same odd', 2, 10, 10, 3, 4, 3, 3),
  c('k5 s1 same', 2, 9, 7, 3, 4, 5, 1),
  c('k5 s2 valid', 2, 13, 12, 3, 2, 5, 2, 'valid'),
  c('k5 s3 same', 2, 10, 10, 3, 4, 5, 3),
  c('k2 s2 same', 2, 8, 8, 3, 4, 2, 2),
  c('k2 s1 valid', 2, 7, 6, 3, 4, 2, 1, 'valid'),
  c('k3 s2 same odd 9x11', 2, 9, 11, 5, 6, 3, 2),
  c('k3 s2 valid 11x11', 2, 11, 11, 4, 5, 3, 2, 'valid'),
  c('k3 s2 valid 12x12 (unused last row)', 2, 12, 12, 4, 5, 3, 2, 'valid'),
  c('k3x1 s[1,2]', 2, 8, 9, 3, 4, [3, 1], [1, 2]),
  c('k1x5 s[2,1] valid', 2, 9, 8, 3, 4, [1, 5], [2, 1], 'valid'),
  c('k3 s2 explicit pad', 2, 9, 8, 3, 4, 3, 2, [
    [0, 0],
    [2, 1],
    [0, 3],
    [0, 0],
  ]),
  c('k3 s1 multi-chunk stacked (stem-like, batch 40)', 40, 28, 28, 1, 8, 3, 1),
  c('k3 s1 multi-chunk per-tap views (batch 24)', 24, 30, 30, 16, 8, 3, 1),
  // channels enough for the igemm kernels (dx: Ci >= 8 and Co x taps per phase >= 128), odd sizes and counts
  c('igemm k3 s2 same odd 9x11, 9->32', 2, 9, 11, 9, 32, 3, 2),
  c('igemm k3 s1 valid 7x6, 12->16', 2, 7, 6, 12, 16, 3, 1, 'valid'),
  c('igemm k5 s3 same 10x10, 8->32', 2, 10, 10, 8, 32, 5, 3),
  c('igemm k3 s2 explicit pad, 10->36', 2, 9, 8, 10, 36, 3, 2, [
    [0, 0],
    [2, 1],
    [0, 3],
    [0, 0],
  ]),
  c('igemm batch 1 k3 s2 valid 11x11, 8->40', 1, 11, 11, 8, 40, 3, 2, 'valid'),
];
function randomCases(n: number, seed: number): Case[] {
  const u = seeded(8 * n, seed);
  let i = 0;
  const r = (lo: number, hi: number): number => lo + Math.floor((u[i++] + 0.5) * (hi - lo + 1));
  const out: Case[] = [];
  for (let j = 0; j < n; j++) {
    const k = [1, 2, 3, 5][r(0, 3)];
    const st = r(1, 3);
    out.push(c(`random ${j}`, r(1, 3), r(k, 13), r(k, 13), r(1, 9), r(1, 9), k, st, r(0, 1) === 0 ? 'same' : 'valid'));
  }
  return out;
}

const TOL = 2e-5;

for (const cs of [...resnetMini, ...variety, ...randomCases(10, 20240601)]) {
  test(
    `conv2d gradients match the cpu backend: ${cs.name} [${cs.b},${cs.h},${cs.w},${cs.ci}]->${cs.co} ` +
      `k${cs.k.join('x')} s${cs.s.join(',')} ${typeof cs.pad === 'string' ? cs.pad : 'explicit'}`,
    async () => {
      const err = await compareBackends(() => {
        const x = seededTensor([cs.b, cs.h, cs.w, cs.ci], 1);
        const w = seededTensor([cs.k[0], cs.k[1], cs.ci, cs.co], 2);
        const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, cs.s, cs.pad);
        const dy = seededTensor(y.shape, 3);
        const [dx, dw] = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, cs.s, cs.pad), dy)),
        )([x, w]);
        return [dx, dw];
      });
      assert.ok(err < TOL, `relative error ${err.toExponential(2)} >= ${TOL}`);
    },
  );
}
