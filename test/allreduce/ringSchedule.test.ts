import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chunkCount,
  chunkSpan,
  recvSegment,
  ringOrderSum,
  segmentSpan,
  sendSegment,
  stepCount,
} from '../../src/worker/allreduce/ringSchedule.js';
import { assertBitwiseEqual, assertSumOf, inputsFor } from './ringHarness.js';

test('segments tile the buffer in order, sizes differing by at most one', () => {
  for (const [length, n] of [
    [0, 3],
    [1, 4],
    [2, 5],
    [10, 3],
    [1000003, 4],
    [7, 7],
  ]) {
    let next = 0;
    const sizes: number[] = [];
    for (let s = 0; s < n; s++) {
      const span = segmentSpan(length, n, s);
      assert.equal(span.start, next, `length ${length}, N ${n}, segment ${s} start`);
      next = span.end;
      sizes.push(span.end - span.start);
    }
    assert.equal(next, length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  }
});

test('a rank sends at step s+1 the segment it received at step s, and each rank receives from its left', () => {
  for (let n = 2; n <= 6; n++) {
    for (let rank = 0; rank < n; rank++) {
      for (let step = 0; step < stepCount(n); step++) {
        assert.equal(
          recvSegment(rank, step, n),
          sendSegment((rank - 1 + n) % n, step, n),
          `N ${n} rank ${rank} step ${step}`,
        );
        if (step + 1 < stepCount(n)) assert.equal(sendSegment(rank, step + 1, n), recvSegment(rank, step, n));
      }
      // After the reduce-scatter the rank owns segment rank+1, which it sends first in the all-gather.
      assert.equal(recvSegment(rank, n - 2, n), (rank + 1) % n);
      assert.equal(sendSegment(rank, n - 1, n), (rank + 1) % n);
    }
  }
});

test('chunks tile a span', () => {
  const span = { start: 10, end: 33 };
  assert.equal(chunkCount(span, 5), 5);
  assert.deepEqual(
    Array.from({ length: 5 }, (_, k) => chunkSpan(span, k, 5)),
    [
      { start: 10, end: 15 },
      { start: 15, end: 20 },
      { start: 20, end: 25 },
      { start: 25, end: 30 },
      { start: 30, end: 33 },
    ],
  );
  assert.equal(chunkCount({ start: 4, end: 4 }, 5), 0);
});

test('ringOrderSum sums every buffer into the same bytes', () => {
  for (const [n, length] of [
    [1, 5],
    [2, 1],
    [3, 2],
    [4, 1001],
    [5, 4096],
  ]) {
    const inputs = inputsFor(n, length, 7);
    const bufs = inputs.map((x) => x.slice());
    ringOrderSum(bufs);
    assertBitwiseEqual(bufs, `N ${n} length ${length}`);
    assertSumOf(bufs[0], inputs, `N ${n} length ${length}`);
  }
});

test('ringOrderSum adds segment s in ring order starting at rank s', () => {
  // 1e8 + 1 - 1e8 depends on order in float32: ((1e8 + 1) + -1e8) = 0, ((1 + -1e8) + 1e8) = 0, ((-1e8 + 1e8) + 1) = 1.
  const bufs = [new Float32Array([1e8, 1e8, 1e8]), new Float32Array([1, 1, 1]), new Float32Array([-1e8, -1e8, -1e8])];
  ringOrderSum(bufs);
  // Segment s starts at rank s: s=0: (1e8+1)-1e8 = 0; s=1: (1-1e8)+1e8 = 0; s=2: (-1e8+1e8)+1 = 1.
  assert.deepEqual(Array.from(bufs[0]), [0, 0, 1]);
});
