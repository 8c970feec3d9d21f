import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import {
  assembleBatch,
  AUGMENT_PAD,
  BatchLoader,
  computeNormalization,
  DataError,
  exampleAugmentation,
  INLINE_ASSEMBLY_MAX_VALUES,
  normalizationTable,
  type Batch,
  type BatchLoaderOptions,
  type DatasetSplit,
  type NormalizationStats,
} from '../../src/data/index.js';
import { syntheticSplit } from './fixtures.js';

// 103 training examples of 6×5×2 (odd sizes, 2 channels), global batch 10: 11 steps per epoch, the last of 3
// examples (10 steps with dropLast, 3 examples dropped).
const train = syntheticSplit('synthetic/train', 103, 6, 5, 2);
const val = syntheticSplit('synthetic/val', 23, 6, 5, 2);
const stats: NormalizationStats = computeNormalization(train);
const size = 6 * 5 * 2;

/**
 * Most tests use augmentation with zero padding and drop the partial batch (the options they were written for), and
 * assemble on the threads: these 600-value shards are under INLINE_ASSEMBLY_MAX_VALUES, so by default they would be
 * assembled in place (tested on its own below).
 */
const AUGMENTED_ZEROS_DROP_LAST: Partial<BatchLoaderOptions> = {
  augment: true,
  padMode: 'zeros',
  dropLast: true,
  inlineMaxValues: 0,
};

async function withLoader<T>(overrides: Partial<BatchLoaderOptions>, body: (l: BatchLoader) => Promise<T>): Promise<T> {
  const loader = new BatchLoader({
    train,
    val,
    stats,
    globalBatchSize: 10,
    rank: 0,
    worldSize: 1,
    seed: 5,
    ...AUGMENTED_ZEROS_DROP_LAST,
    ...overrides,
  });
  try {
    return await body(loader);
  } finally {
    await loader.close();
  }
}

/** Every rank's shard of each listed (epoch, batch), rank by rank. */
async function shardsByRank(
  worldSize: number,
  steps: [number, number][],
  overrides: Partial<BatchLoaderOptions> = {},
): Promise<Batch[][]> {
  const perRank: Batch[][] = [];
  for (let rank = 0; rank < worldSize; rank++) {
    perRank.push(
      await withLoader({ rank, worldSize, ...overrides }, (l) =>
        Promise.all(steps.map(([e, b]) => l.trainBatch(e, b))),
      ),
    );
  }
  return perRank;
}

const osThreads = (): number => readdirSync('/proc/self/task').length;

/** This process's OS threads, once the count has held for 50 ms: an earlier test's threads may still be exiting. */
async function settledThreads(): Promise<number> {
  let last = osThreads();
  for (let tries = 0; tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = osThreads();
    if (now === last) return now;
    last = now;
  }
  return last;
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

test('with dropLast, iterationsPerEpoch drops the last partial global batch; batches have the promised shape', async () => {
  await withLoader({}, async (l) => {
    assert.equal(l.iterationsPerEpoch, 10);
    const b = await l.trainBatch(0, 9);
    assert.deepEqual(b.shape, [10, 6, 5, 2]);
    assert.equal(b.count, 10);
    assert.equal(b.x.length, 10 * size);
    assert.deepEqual(
      [...b.labels],
      [...b.indices].map((i) => i % 10),
    );
    await assert.rejects(
      l.trainBatch(0, 10),
      (e: unknown) => e instanceof DataError && /past the end of the epoch/.test(e.message),
    );
  });
});

test('an epoch visits distinct examples in a seeded order that changes with the epoch; no shuffle is the identity', async () => {
  await withLoader({}, async (l) => {
    const seen = Array.from({ length: l.iterationsPerEpoch }, (_, b) => [...l.trainShardIndices(0, b)]).flat();
    assert.equal(seen.length, 100);
    assert.equal(new Set(seen).size, 100);
    assert.ok(seen.every((i) => i >= 0 && i < 103));
    assert.notDeepEqual([...l.epochOrder(1)], [...l.epochOrder(0)]);
  });
  await withLoader({ shuffle: false }, async (l) => {
    assert.deepEqual([...l.trainShardIndices(3, 2)], [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  });
});

test('the same seed gives the same batch; another seed another order', async () => {
  const steps: [number, number][] = [
    [0, 0],
    [2, 7],
  ];
  const [a] = await shardsByRank(1, steps);
  const [b] = await shardsByRank(1, steps);
  for (let k = 0; k < steps.length; k++) {
    assert.deepEqual(a[k].indices, b[k].indices);
    assert.deepEqual(a[k].x, b[k].x);
    assert.deepEqual(a[k].labels, b[k].labels);
  }
  const [c] = await shardsByRank(1, steps, { seed: 6 });
  assert.notDeepEqual(c[0].indices, a[0].indices);
});

test('any world size splits the same global batch into contiguous shards with identical augmented pixels', async () => {
  const steps: [number, number][] = [
    [0, 0],
    [0, 4],
    [1, 9],
  ];
  const [single] = await shardsByRank(1, steps);
  for (const worldSize of [2, 3, 4]) {
    const perRank = await shardsByRank(worldSize, steps);
    const counts = perRank.map((shards) => shards[0].count);
    // Sizes differ by at most one, the lower ranks taking the larger shards: 10 = 5+5, 4+3+3, 3+3+2+2.
    assert.deepEqual(counts, { 2: [5, 5], 3: [4, 3, 3], 4: [3, 3, 2, 2] }[worldSize], `N=${worldSize}`);
    steps.forEach((_, k) => {
      const joined = perRank.flatMap((shards) => [...shards[k].indices]);
      assert.deepEqual(joined, [...single[k].indices], `N=${worldSize} step ${k}: shards tile the global batch`);
      assert.deepEqual(concat(perRank.map((shards) => shards[k].x)), single[k].x, `N=${worldSize} step ${k}: pixels`);
    });
  }
});

/** Reference augmentation built another way: zero-pad the normalised image, crop at (pad+dy, pad+dx), then flip. */
function referenceAugmented(split: DatasetSplit, index: number, dy: number, dx: number, flip: boolean): Float32Array {
  const { height: H, width: W, channels: C } = split;
  const lut = normalizationTable(stats);
  const P = AUGMENT_PAD;
  const padded = new Float32Array((H + 2 * P) * (W + 2 * P) * C);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) {
        padded[((y + P) * (W + 2 * P) + x + P) * C + c] =
          lut[c * 256 + split.pixels[((index * H + y) * W + x) * C + c]];
      }
  const out = new Float32Array(H * W * C);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) {
        const cx = flip ? W - 1 - x : x;
        out[(y * W + x) * C + c] = padded[((y + P + dy) * (W + 2 * P) + cx + P + dx) * C + c];
      }
  return out;
}

test('augmentation is a zero-padded random crop and a coin-flip mirror, drawn per (seed, epoch, example)', async () => {
  await withLoader({}, async (l) => {
    const batch = await l.trainBatch(1, 3);
    for (let i = 0; i < batch.count; i++) {
      const index = batch.indices[i];
      const { dy, dx, flip } = exampleAugmentation(5, 1, index);
      assert.deepEqual(
        batch.x.subarray(i * size, (i + 1) * size),
        referenceAugmented(train, index, dy, dx, flip),
        `example ${index}`,
      );
    }
  });
  const draws = Array.from({ length: 4000 }, (_, i) => exampleAugmentation(5, 0, i));
  const flips = draws.filter((d) => d.flip).length / draws.length;
  assert.ok(flips > 0.47 && flips < 0.53, `flip rate ${flips}`);
  assert.deepEqual(
    [...new Set(draws.map((d) => d.dx))].sort((a, b) => a - b),
    [-4, -3, -2, -1, 0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    [...new Set(draws.map((d) => d.dy))].sort((a, b) => a - b),
    [-4, -3, -2, -1, 0, 1, 2, 3, 4],
  );
  assert.notDeepEqual(exampleAugmentation(5, 1, 7), exampleAugmentation(5, 2, 7));
});

test('augmentation changes pixels when on and leaves the plain normalised image when off', async () => {
  const [[on]] = await shardsByRank(1, [[0, 0]]);
  const [[off]] = await shardsByRank(1, [[0, 0]], { augment: false });
  assert.deepEqual(on.indices, off.indices);
  const plain = assembleBatch(train, off.indices, { stats, augment: false, seed: 5, epoch: 0 });
  assert.deepEqual(off.x, plain.x);
  let changed = 0;
  for (let i = 0; i < on.count; i++) {
    const a = on.x.subarray(i * size, (i + 1) * size);
    const b = off.x.subarray(i * size, (i + 1) * size);
    if (a.some((v, p) => v !== b[p])) changed++;
    const { dy, dx, flip } = exampleAugmentation(5, 0, on.indices[i]);
    assert.equal(
      a.every((v, p) => v === b[p]),
      dy === 0 && dx === 0 && !flip,
      `example ${on.indices[i]}`,
    );
  }
  assert.ok(changed >= 8, `only ${changed} of 10 examples changed`);
});

test('by default an epoch keeps its last partial batch (ceil(103/10) = 11 steps, the last of 3), cut into shards alike, unaugmented', async () => {
  const defaults = { train, val, stats, globalBatchSize: 10, seed: 5 };
  const single = new BatchLoader({ ...defaults, rank: 0, worldSize: 1 });
  try {
    assert.equal(single.iterationsPerEpoch, 11);
    assert.deepEqual(
      [10, 9].map((b) => single.globalExamples(b)),
      [3, 10],
    );
    const seen = Array.from({ length: 11 }, (_, b) => [...single.trainShardIndices(0, b)]).flat();
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: 103 }, (_, i) => i),
      'every example once per epoch',
    );
    const last = await single.trainBatch(0, 10);
    assert.deepEqual(last.shape, [3, 6, 5, 2]);
    assert.deepEqual(
      last.x,
      assembleBatch(train, last.indices, { stats, augment: false, seed: 5, epoch: 0 }).x,
      'no augmentation unless asked',
    );
    await assert.rejects(single.trainBatch(0, 11), /past the end of the epoch \(11 batches/);
    // 3 examples over 4 ranks: 1, 1, 1 and an empty shard (that rank adds nothing to the step's sums).
    const shards = [0, 1, 2, 3].map((rank) => new BatchLoader({ ...defaults, rank, worldSize: 4, prefetch: 0 }));
    try {
      const parts = shards.map((l) => [...l.trainShardIndices(0, 10)]);
      assert.deepEqual(
        parts.map((p) => p.length),
        [1, 1, 1, 0],
      );
      assert.deepEqual(parts.flat(), [...last.indices]);
      assert.equal((await shards[3].trainBatch(0, 10)).count, 0);
    } finally {
      await Promise.all(shards.map((l) => l.close()));
    }
  } finally {
    await single.close();
  }
});

/** Reference reflection padding (cv2.BORDER_REFLECT, `dcba|abcd|dcba`), built by mirroring the padded image. */
function referenceReflected(split: DatasetSplit, index: number, dy: number, dx: number, flip: boolean): Float32Array {
  const { height: H, width: W, channels: C } = split;
  const lut = normalizationTable(stats);
  const P = AUGMENT_PAD;
  const mirror = (i: number, n: number): number => (i < 0 ? -1 - i : i >= n ? 2 * n - 1 - i : i);
  const padded = (py: number, px: number, c: number): number =>
    lut[c * 256 + split.pixels[((index * H + mirror(py - P, H)) * W + mirror(px - P, W)) * C + c]];
  const out = new Float32Array(H * W * C);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) {
        const cx = flip ? W - 1 - x : x;
        out[(y * W + x) * C + c] = padded(y + P + dy, cx + P + dx, c);
      }
  return out;
}

test("the crop pads by reflection by default (fastai 0.7's cv2.BORDER_REFLECT); padMode zeros pads with the mean", async () => {
  await withLoader({ padMode: undefined }, async (l) => {
    const batch = await l.trainBatch(1, 3);
    let edges = 0;
    for (let i = 0; i < batch.count; i++) {
      const index = batch.indices[i];
      const { dy, dx, flip } = exampleAugmentation(5, 1, index);
      if (dy !== 0 || dx !== 0) edges++;
      assert.deepEqual(
        batch.x.subarray(i * size, (i + 1) * size),
        referenceReflected(train, index, dy, dx, flip),
        `example ${index}`,
      );
    }
    assert.ok(edges >= 8, `only ${edges} examples were shifted`);
  });
  const shifted = { dy: 4, dx: -4, flip: false };
  const zero = referenceAugmented(train, 0, shifted.dy, shifted.dx, shifted.flip);
  const mirrored = referenceReflected(train, 0, shifted.dy, shifted.dx, shifted.flip);
  assert.equal(zero[0], 0, 'zeros: the mean pixel in the padded corner');
  assert.notEqual(mirrored[0], 0, 'reflect: a mirrored image pixel there');
});

test('prefetched batches equal direct assembly, ahead across the epoch boundary and after jumps', async () => {
  await withLoader({ prefetch: 3 }, async (l) => {
    const steps: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 8],
      [0, 9],
      [1, 0],
      [1, 1],
      [0, 5],
      [1, 1],
    ];
    for (const [e, b] of steps) {
      const batch = await l.trainBatch(e, b);
      const direct = assembleBatch(train, l.trainShardIndices(e, b), {
        stats,
        augment: true,
        seed: 5,
        epoch: e,
        padMode: 'zeros',
      });
      assert.deepEqual(batch.x, direct.x, `epoch ${e} batch ${b}`);
      assert.deepEqual(batch.labels, direct.labels);
      const step = e * 10 + b;
      assert.deepEqual(l.pendingSteps, [step + 1, step + 2, step + 3], `prefetching after epoch ${e} batch ${b}`);
    }
  });
  await withLoader({ prefetch: 0 }, async (l) => {
    await l.trainBatch(0, 0);
    assert.deepEqual(l.pendingSteps, []);
  });
});

test('evalBatch wraps around the split; evalShards partition the whole split over ranks, unaugmented', async () => {
  const plain = assembleBatch(
    val,
    Int32Array.from({ length: val.n }, (_, i) => i),
    { stats, augment: false, seed: 0, epoch: 0 },
  );
  const seen: number[] = [];
  for (let rank = 0; rank < 3; rank++) {
    await withLoader({ rank, worldSize: 3, prefetch: 1 }, async (l) => {
      const wrapped = await l.evalBatch(4, 5); // examples 20, 21, 22, 0, 1 → ranks take 2, 2, 1
      assert.deepEqual([...wrapped.indices], [[20, 21], [22, 0], [1]][rank]);
      for await (const batch of l.evalShards(3)) {
        assert.ok(batch.count <= 3);
        seen.push(...batch.indices);
        batch.indices.forEach((index, i) => {
          assert.deepEqual(
            batch.x.subarray(i * size, (i + 1) * size),
            plain.x.subarray(index * size, (index + 1) * size),
          );
          assert.equal(batch.labels[i], index % 10);
        });
      }
    });
  }
  assert.deepEqual(
    seen,
    Array.from({ length: val.n }, (_, i) => i),
  );
});

test('close() ends the assembly threads and the loader refuses further use', async () => {
  const before = await settledThreads();
  const loader = new BatchLoader({
    train,
    val,
    stats,
    globalBatchSize: 10,
    rank: 0,
    worldSize: 1,
    seed: 5,
    threads: 2,
    inlineMaxValues: 0,
  });
  await loader.trainBatch(0, 0);
  assert.equal(loader.threadCount, 2);
  assert.equal(osThreads(), before + 2);
  assert.deepEqual(loader.pendingSteps, [1, 2], 'closing with prefetches in flight');
  await loader.close();
  assert.equal(loader.threadCount, 0);
  assert.equal(await settledThreads(), before);
  // Nothing left holding the event loop (piscina's own close() would leave a 30 s timer).
  assert.deepEqual(
    process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'MessagePort'),
    [],
  );
  await assert.rejects(loader.trainBatch(0, 1), /used after close/);
});

test("small batches are assembled in place, equal to the threads' and not prefetched; threads start for the first larger one", async () => {
  assert.ok(size * 10 <= INLINE_ASSEMBLY_MAX_VALUES, 'these 600-value shards are under the default limit');
  const steps: [number, number][] = [
    [0, 0],
    [0, 9],
    [1, 3],
  ];
  for (const padMode of ['reflect', 'zeros'] as const) {
    const opts = { augment: true, padMode, dropLast: false };
    const threaded = (await shardsByRank(2, steps, opts)).flat();
    const here = (await shardsByRank(2, steps, { ...opts, inlineMaxValues: INLINE_ASSEMBLY_MAX_VALUES })).flat();
    here.forEach((b, i) => {
      assert.deepEqual(b.x, threaded[i].x, `${padMode}, shard ${i}`);
      assert.deepEqual(b.labels, threaded[i].labels);
      assert.deepEqual(b.indices, threaded[i].indices);
    });
  }
  // Counted once the threaded loaders above have let their threads go: an exiting thread stays listed a moment.
  const before = await settledThreads();
  // The boundary: a 10-example training shard is exactly 600 values (in place), an 11-example eval batch 660.
  await withLoader({ inlineMaxValues: 600, prefetch: 2 }, async (l) => {
    await l.trainBatch(0, 0);
    await l.trainBatch(0, 1);
    assert.equal(l.threadCount, 0, 'no assembly thread for batches assembled in place');
    assert.equal(await settledThreads(), before, 'no OS thread started while the loader is open');
    assert.deepEqual(l.pendingSteps, [], 'nothing prefetched');
    const evalBatch = await l.evalBatch(1, 11);
    assert.equal(l.threadCount, 1, 'the 660-value batch started the thread');
    const direct = assembleBatch(val, evalBatch.indices, { stats, augment: false, seed: 5, epoch: 0 });
    assert.deepEqual(evalBatch.x, direct.x);
  });
  // An epoch's last, partial batch (3 examples, 180 values) in place between full ones (600) on the thread: it is
  // not prefetched, and the next epoch's batches are prefetched across it.
  await withLoader({ inlineMaxValues: 200, prefetch: 2, dropLast: false }, async (l) => {
    await l.trainBatch(0, 9);
    assert.deepEqual(l.pendingSteps, [11], 'step 10 (the partial batch) is left to be assembled when asked for');
    const partial = await l.trainBatch(0, 10);
    assert.equal(partial.count, 3);
    const direct = assembleBatch(train, partial.indices, { stats, augment: true, seed: 5, epoch: 0, padMode: 'zeros' });
    assert.deepEqual(partial.x, direct.x);
    assert.deepEqual(l.pendingSteps, [11, 12]);
  });
  assert.equal(await settledThreads(), before, 'every thread gone after close');
});

test('bad loader options are DataErrors naming the value', () => {
  const base = { train, val, stats, globalBatchSize: 10, rank: 0, worldSize: 1, seed: 5 };
  const cases: [Partial<BatchLoaderOptions>, RegExp][] = [
    [{ globalBatchSize: 3, worldSize: 4 }, /global batch size 3 is smaller than the world size 4/],
    [{ globalBatchSize: 104 }, /global batch size 104 exceeds the 103 examples of synthetic\/train/],
    [{ rank: 2, worldSize: 2 }, /rank 2 is outside 0..1/],
    [{ stats: { mean: [0.5], std: [0.2] } }, /1 means and 1 stds for 2-channel images/],
    [{ val: syntheticSplit('synthetic/odd', 4, 6, 6, 2) }, /synthetic\/odd images are 6×6×2/],
    [{ threads: 0 }, /threads must be an integer ≥ 1, got 0/],
    [{ inlineMaxValues: -1 }, /inlineMaxValues must be an integer ≥ 0, got -1/],
  ];
  for (const [overrides, message] of cases) {
    assert.throws(
      () => new BatchLoader({ ...base, ...overrides }),
      (e: unknown) => e instanceof DataError && message.test(e.message),
    );
  }
});
