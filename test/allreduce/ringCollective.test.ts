import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InProcessCollective, ringOrderSum } from '../../src/worker/allreduce/index.js';
import { assertBitwiseEqual, assertSumOf, inputsFor, startLocalRing, type LocalRing } from './ringHarness.js';

/** Small chunks so that even short buffers span several chunks, rounds and in-flight pushes. */
const SMALL_CHUNKS = { chunkBytes: 64, maxInflightChunks: 3 };

/** Runs one allreduce on every rank of `ring` with copies of `inputs`; returns the results. */
async function allreduceAll(ring: LocalRing, inputs: readonly Float32Array[]): Promise<Float32Array[]> {
  const bufs = inputs.map((x) => x.slice());
  await Promise.all(ring.ranks.map((r, i) => r.allreduce(bufs[i])));
  return bufs;
}

for (let n = 1; n <= 5; n++) {
  describe(`TCP ring allreduce, N = ${n}`, () => {
    let ring: LocalRing;
    before(async () => {
      ring = await startLocalRing(n, SMALL_CHUNKS);
    });
    after(async () => {
      await ring.close();
    });

    const lengths = [...new Set([1, Math.max(1, n - 1), 3 * n + 1, 1000])];
    for (const length of lengths) {
      test(`${length} elements: every rank gets the sum, bit-identical, same bytes as the in-process collective`, async () => {
        const inputs = inputsFor(n, length, length);
        const results = await allreduceAll(ring, inputs);
        assertSumOf(results[0], inputs, `N ${n} length ${length}`);
        assertBitwiseEqual(results, `N ${n} length ${length}`);
        const expected = inputs.map((x) => x.slice());
        ringOrderSum(expected);
        assertBitwiseEqual([expected[0], results[0]], `ring vs ringOrderSum, N ${n} length ${length}`);
      });
    }

    test('consecutive ops of different lengths (gradients, then BatchNorm statistics, then gradients)', async () => {
      for (const [i, length] of [777, 13, 301].entries()) {
        const inputs = inputsFor(n, length, 100 + i);
        const results = await allreduceAll(ring, inputs);
        assertSumOf(results[0], inputs, `op ${i}`);
        assertBitwiseEqual(results, `op ${i}`);
      }
    });

    test('ops issued back to back without awaiting run in call order', async () => {
      const a = inputsFor(n, 300, 1);
      const b = inputsFor(n, 50, 2);
      const bufsA = a.map((x) => x.slice());
      const bufsB = b.map((x) => x.slice());
      await Promise.all(ring.ranks.flatMap((r, i) => [r.allreduce(bufsA[i]), r.allreduce(bufsB[i])]));
      assertSumOf(bufsA[0], a, 'first op');
      assertSumOf(bufsB[0], b, 'second op');
      assertBitwiseEqual(bufsA, 'first op');
      assertBitwiseEqual(bufsB, 'second op');
    });
  });
}

test("chunks dealt over several connections per neighbour still sum to ringOrderSum's bytes", async () => {
  const ring = await startLocalRing(3, { ...SMALL_CHUNKS, connections: 3 });
  try {
    for (const length of [1000, 31]) {
      const inputs = inputsFor(3, length, 900 + length);
      const results = await allreduceAll(ring, inputs);
      const expected = inputs.map((x) => x.slice());
      ringOrderSum(expected);
      assertBitwiseEqual([expected[0], ...results], `3 connections, length ${length}`);
    }
  } finally {
    await ring.close();
  }
});

describe('TCP ring allreduce, large buffers with the default chunking', () => {
  for (const n of [2, 4]) {
    test(`N = ${n}, 4M floats`, async () => {
      const ring = await startLocalRing(n);
      try {
        const length = 4 * 1024 * 1024 + 3;
        const inputs = inputsFor(n, length, 42);
        const results = await allreduceAll(ring, inputs);
        assertSumOf(results[0], inputs, `N ${n} 4M`);
        assertBitwiseEqual(results, `N ${n} 4M`);
      } finally {
        await ring.close();
      }
    });
  }
});

describe('in-process collective', () => {
  for (let n = 1; n <= 5; n++) {
    test(`N = ${n}: sums, bit-identical on every member, same bytes as ringOrderSum`, async () => {
      const members = InProcessCollective.group(n);
      for (const length of [1, Math.max(1, n - 1), 3 * n + 1, 4099, n === 3 ? 4 * 1024 * 1024 : 10]) {
        const inputs = inputsFor(n, length, length + n);
        const bufs = inputs.map((x) => x.slice());
        await Promise.all(members.map((m, i) => m.allreduce(bufs[i])));
        assertSumOf(bufs[0], inputs, `N ${n} length ${length}`);
        assertBitwiseEqual(bufs, `N ${n} length ${length}`);
        const expected = inputs.map((x) => x.slice());
        ringOrderSum(expected);
        assertBitwiseEqual([expected[0], bufs[0]], `N ${n} length ${length} vs ringOrderSum`);
      }
      await Promise.all(members.map((m) => m.close()));
    });
  }

  test('members with different buffer lengths get an error naming the lengths', async () => {
    const members = InProcessCollective.group(2);
    const results = await Promise.allSettled([
      members[0].allreduce(new Float32Array(4)),
      members[1].allreduce(new Float32Array(5)),
    ]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.match(String((r as PromiseRejectedResult).reason), /rank 0 has 4 elements, rank 1 has 5/);
    }
  });

  test('an aborted op fails every member, and later ops say the group is broken', async () => {
    const members = InProcessCollective.group(3);
    const controller = new AbortController();
    const pending = [
      members[0].allreduce(new Float32Array(2), { signal: controller.signal }),
      members[1].allreduce(new Float32Array(2)),
    ];
    controller.abort(new Error('step cancelled'));
    for (const r of await Promise.allSettled(pending)) {
      assert.equal(r.status, 'rejected');
      assert.match(String((r as PromiseRejectedResult).reason), /aborted by rank 0/);
    }
    await assert.rejects(members[2].allreduce(new Float32Array(2)), /broken/);
  });
});
