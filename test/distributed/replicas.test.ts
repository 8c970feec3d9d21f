import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cluster, launchWorkers, ReplicaMismatchError } from '../../src/coordinator/index.js';
import { resolveFitConfig } from '../../src/shared/config/index.js';
import { writeIdxDataset } from '../data/fixtures.js';
import { quietLogger, tempRunDir } from './helpers.js';

// resnet-mini on the cpu backend takes minutes per step on 28x28 images; 8x8 images keep the same layers cheap.
test('resnet-mini with BatchNorm on 2 thread workers: replicas stay bitwise identical every step; BatchNorm statistics agree after SyncBuffers', async (t) => {
  const dataDir = tempRunDir(t, 'sc-bn-data-');
  writeIdxDataset(dataDir, { nTrain: 64, nTest: 16, height: 8, width: 8, classes: 10, gzip: false });
  const config = resolveFitConfig({
    model: 'resnet-mini',
    data: `idx:${dataDir}`,
    backend: 'cpu',
    batchSize: 8,
    workers: 2,
    spawn: 'thread',
    augment: true,
    seed: 1,
  });
  const launched = await launchWorkers(config, quietLogger());
  const cluster = new Cluster(launched.workers, launched.runId);
  try {
    const [info] = await cluster.configure(config, launched.ringAddresses);
    assert.equal(info.backend, 'cpu');
    const initial = await cluster.verifyReplicas('after Configure', { buffers: true });
    let weights = initial;
    for (let step = 0; step < 3; step++) {
      const r = await cluster.step({
        step,
        epoch: 0,
        batchInEpoch: step,
        momentum: 0.9,
        groupLrs: info.layerGroups.map(() => 0.05),
        groupWeightDecays: info.layerGroups.map(() => 1e-4),
      });
      assert.equal(r.count, 8, 'the two shards make the global batch');
      const next = await cluster.verifyReplicas(`after step ${step}`);
      assert.notEqual(next, weights, `step ${step} changed the weights`);
      weights = next;
    }
    // Each worker's running statistics come from its own shard, so they differ until averaged.
    const before = await Promise.all(cluster.workers.map((w) => w.checksum(launched.runId)));
    assert.notEqual(
      before[0].buffers,
      before[1].buffers,
      'BatchNorm statistics of different shards should differ before SyncBuffers',
    );
    await cluster.syncBuffers();
    await cluster.verifyReplicas('after SyncBuffers', { buffers: true });

    // A replica that drifts is caught, and the message names its rank and address.
    const state = await cluster.workers[1].getState(launched.runId);
    const w = new Float32Array(
      state.weights.buffer.slice(state.weights.byteOffset, state.weights.byteOffset + state.weights.byteLength),
    );
    w[0] += 1e-3;
    await cluster.workers[1].setState({ ...state, weights: Buffer.from(w.buffer) });
    await assert.rejects(cluster.verifyReplicas('after the test changed rank 1'), (e: unknown) => {
      assert.ok(e instanceof ReplicaMismatchError);
      assert.match(
        e.message,
        /replicas diverged after the test changed rank 1: .*rank 1 \(127\.0\.0\.1:\d+\): weights/,
      );
      assert.doesNotMatch(e.message, /rank 0 \(/);
      return true;
    });
  } finally {
    await cluster.shutdown('test done');
    await launched.close();
  }
});
