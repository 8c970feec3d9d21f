import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { oneCycle } from '../../src/shared/schedule/index.js';

const close = (a: number, b: number, msg: string) =>
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${msg}: ${a} != ${b}`);

describe('oneCycle (fastai 0.7 CircularLR_beta)', () => {
  // nb = 100, pct = 10 -> c = floor(100 * 0.9 / 2) = 45; L = 1, div = 10; momenta 0.95 -> 0.85.
  const s = oneCycle({ iterations: 100, maxLr: 1, div: 10, pct: 10, maxMomentum: 0.95, minMomentum: 0.85 });
  const table: [number, number, number][] = [
    // iteration, lr, momentum
    [0, 0.1, 0.95],
    [44, (1 + (44 / 45) * 9) / 10, 0.95 + (44 / 45) * -0.1], // c - 1
    [45, 1, 0.85], // c: the peak
    [46, (1 + (1 - 1 / 45) * 9) / 10, 0.95 + (1 - 1 / 45) * -0.1], // c + 1
    [90, 0.1, 0.95], // 2c: back at the start
    [91, (1 - 0.99 * (1 / 10)) / 10, 0.95], // 2c + 1: annealing
    [99, (1 - 0.99 * (9 / 10)) / 10, 0.95], // nb - 1
  ];
  for (const [i, lr, mom] of table) {
    test(`iteration ${i}`, () => {
      const v = s(i);
      close(v.lr, lr, `lr at ${i}`);
      close(v.momentum!, mom, `momentum at ${i}`);
    });
  }

  test('the last phase would reach lr/(div*100) at nb', () => {
    // p = (nb - 2c)/(nb - 2c) = 1 -> L * 0.01 / div
    const lastP = (99 - 90) / 10;
    close(s(99).lr, (1 - 0.99 * lastP) / 10, 'lr');
    assert.ok(s(99).lr > 1 / 1000 && s(99).lr < s(91).lr);
  });

  test('the seed example: nb=95*epochs with pct 13.68 matches the formulas at the boundaries', () => {
    const nb = 9500;
    const c = Math.floor((nb * (1 - 13.68 / 100)) / 2); // 4100
    assert.equal(c, 4100);
    const t = oneCycle({ iterations: nb, maxLr: 0.8, div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 });
    close(t(0).lr, 0.08, 'start');
    close(t(c).lr, 0.8, 'peak');
    close(t(2 * c).lr, 0.08, 'back');
    close(t(2 * c + 1).lr, (0.8 * (1 - 0.99 * (1 / (nb - 2 * c)))) / 10, 'anneal');
    close(t(c).momentum!, 0.85, 'min momentum at the peak');
  });

  test('pct = 0: the triangle takes the whole run', () => {
    const t = oneCycle({ iterations: 10, maxLr: 1, div: 10, pct: 0 });
    close(t(5).lr, 1, 'peak at c = 5');
    close(t(9).lr, (1 + (1 - 4 / 5) * 9) / 10, 'falling');
    assert.equal(t(9).momentum, undefined);
  });

  test('pct = 0 with odd nb: the last iteration is 2c, back at lr/div', () => {
    const t = oneCycle({ iterations: 11, maxLr: 1, div: 10, pct: 0 });
    close(t(10).lr, 0.1, 'lr at 2c');
  });

  test('no momenta: momentum is undefined everywhere', () => {
    const t = oneCycle({ iterations: 20, maxLr: 2, div: 5, pct: 20 });
    for (let i = 0; i < 20; i++) assert.equal(t(i).momentum, undefined);
  });

  test('tiny nb: 1 and 2 iterations are defined and finite', () => {
    const one = oneCycle({ iterations: 1, maxLr: 1, div: 10, pct: 10, maxMomentum: 0.95, minMomentum: 0.85 });
    close(one(0).lr, 0.1, 'nb=1'); // c = 0: i = 0 <= c, p = 0
    close(one(0).momentum!, 0.95, 'nb=1 momentum');
    const two = oneCycle({ iterations: 2, maxLr: 1, div: 10, pct: 50 });
    // c = floor(2*0.5/2) = 0 -> i=0 p=0; i=1 > 2c: p = 1/2
    close(two(0).lr, 0.1, 'nb=2 i=0');
    close(two(1).lr, (1 - 0.99 * 0.5) / 10, 'nb=2 i=1');
  });

  test('outside [0, nb) is an error naming the range', () => {
    assert.throws(() => s(100), /outside \[0, 100\)/);
    assert.throws(() => s(-1), /outside/);
  });

  test('bad parameters are errors', () => {
    assert.throws(() => oneCycle({ iterations: 0, maxLr: 1, div: 10, pct: 10 }), /iterations/);
    assert.throws(() => oneCycle({ iterations: 10, maxLr: 1, div: 10, pct: 120 }), /pct/);
    assert.throws(() => oneCycle({ iterations: 10, maxLr: 1, div: 10, pct: 10, maxMomentum: 0.9 }), /both/);
  });
});
