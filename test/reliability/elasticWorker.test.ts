import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GrpcWorkerHandle } from '../../src/coordinator/index.js';
import { WorkerNode } from '../../src/worker/grpc/index.js';
import { mlpStep, quietLogger } from '../distributed/helpers.js';

const step = (n: number) => mlpStep(n);

test('Abort leaves the named ring only (a late Abort of an old ring changes nothing); Reform joins a new one and fixes the next step', async () => {
  const node = await WorkerNode.start({ host: '127.0.0.1', log: quietLogger() });
  const w = new GrpcWorkerHandle(0, node.workerAddress);
  try {
    await w.configure({
      runId: 'r1',
      rank: 0,
      worldSize: 1,
      configJson: JSON.stringify({ model: 'mlp', backend: 'cpu', batchSize: 32, augment: false }),
      ringAddresses: [],
    });
    assert.deepEqual(
      await w.abort({ runId: 'r1', reason: 'test', ringId: 'r1/ring-0' }),
      { lastStep: -1 },
      'nothing applied yet',
    );
    await w.step(step(0));
    assert.deepEqual(await w.abort({ runId: 'r1', reason: 'late', ringId: 'r1/ring-7' }), { lastStep: 0 });
    await w.step(step(1)); // an Abort of another ring left this one working
    assert.deepEqual(await w.abort({ runId: 'r1', reason: 'a peer was lost', ringId: 'r1' }), { lastStep: 1 });
    const before = await w.checksum('r1');
    await assert.rejects(w.step(step(2)), /^Error: ABORTED: allreduce on rank 0, op \d+, setup: .*closed/);
    assert.deepEqual(await w.checksum('r1'), before, 'the aborted step left the replica untouched');
    await assert.rejects(
      w.reform({ runId: 'r1', rank: 2, worldSize: 2, ringAddresses: ['a:1', 'b:2'], ringId: 'r1/ring-1', nextStep: 2 }),
      { message: 'INVALID_ARGUMENT: Reform: rank 2 is not in 0..1' },
    );
    await w.reform({
      runId: 'r1',
      rank: 0,
      worldSize: 1,
      ringAddresses: [node.ringAddress],
      ringId: 'r1/ring-1',
      nextStep: 2,
    });
    await assert.rejects(w.step(step(3)), { message: 'INVALID_ARGUMENT: Step 3: this worker expects step 2 next' });
    assert.equal((await w.step(step(2))).step, 2);
    assert.deepEqual(
      await w.abort({ runId: 'r1', reason: 'late', ringId: 'r1' }),
      { lastStep: 2 },
      'the first ring is gone: ignored',
    );
    assert.equal((await w.step(step(3))).step, 3);
  } finally {
    await w.shutdown('r1', 'test over').catch(() => undefined);
    w.close();
    await node.close('test cleanup');
  }
});
