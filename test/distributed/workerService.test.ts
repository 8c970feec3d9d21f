import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Cluster, GrpcWorkerHandle, WorkerError } from '../../src/coordinator/index.js';
import { ConfigError, readSettings } from '../../src/shared/config/index.js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import type { WorkerHandlers } from '../../src/shared/proto/generated/superconverge/v1/Worker.js';
import { WorkerStateError } from '../../src/worker/index.js';
import { grpcStatusOf, WorkerNode } from '../../src/worker/grpc/index.js';
import { mlpStep, quietLogger } from './helpers.js';

const stepRequest = mlpStep(0);

test('the Worker service maps errors to statuses, and the coordinator names the rank and address', async () => {
  const node = await WorkerNode.start({ host: '127.0.0.1', log: quietLogger() });
  const handle = new GrpcWorkerHandle(0, node.workerAddress);
  try {
    await assert.rejects(handle.step(stepRequest), {
      message: 'FAILED_PRECONDITION: worker is not configured: Configure must come first',
    });
    const configure = (config: object, worldSize = 1, ringAddresses: string[] = []) =>
      handle.configure({ runId: 'r1', rank: 0, worldSize, configJson: JSON.stringify(config), ringAddresses });
    await assert.rejects(configure({ model: 'mlp', lr: -1 }), {
      message: 'INVALID_ARGUMENT: lr must be a positive number, got -1',
    });
    await assert.rejects(configure({ model: 'mlp', backend: 'cpu' }, 2, ['127.0.0.1:1', '127.0.0.1:2']), {
      message: `INVALID_ARGUMENT: Configure says rank 0 listens at 127.0.0.1:1, but this worker's ring is at ${node.ringAddress}`,
    });
    const cluster = new Cluster([handle], 'r1');
    await assert.rejects(cluster.step(stepRequest), (e: unknown) => {
      assert.ok(e instanceof WorkerError);
      assert.equal(
        e.message,
        `worker rank 0 (${node.workerAddress}) failed in Step 0: FAILED_PRECONDITION: worker is not configured: Configure must come first`,
      );
      return true;
    });
    await handle.shutdown('r1', 'test over');
    assert.equal(await node.finished, 'shut down: test over');
    await assert.rejects(handle.checksum('r1'), /^Error: unreachable \(/);
  } finally {
    handle.close();
    await node.close('test cleanup');
  }
});

test('a worker that does not answer within the deadline is reported with the setting to raise', async () => {
  const server = new grpc.Server();
  const never: WorkerHandlers['StepStream'] = () => {
    /* reads the steps, never answers */
  };
  server.addService(loadProto().superconverge.v1.Worker.service, {
    StepStream: never,
  } as Partial<WorkerHandlers> as WorkerHandlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  const handle = new GrpcWorkerHandle(3, `127.0.0.1:${port}`, { ...readSettings({}), stepDeadlineMs: 300 });
  try {
    await assert.rejects(new Cluster([handle], 'r').step(stepRequest), {
      name: 'WorkerError',
      message: `worker rank 3 (127.0.0.1:${port}) failed in Step 0: no answer within the 300 ms deadline (set SUPERCONVERGE_STEP_DEADLINE_MS to wait longer)`,
    });
  } finally {
    handle.close();
    server.forceShutdown();
  }
});

test('only deliberate errors cross the wire with their message', () => {
  assert.deepEqual(grpcStatusOf(new WorkerStateError('not configured'), 'Step', 1), {
    code: grpc.status.FAILED_PRECONDITION,
    details: 'not configured',
    deliberate: true,
  });
  assert.deepEqual(grpcStatusOf(new ConfigError('lr must be positive'), 'Configure', 1), {
    code: grpc.status.INVALID_ARGUMENT,
    details: 'lr must be positive',
    deliberate: true,
  });
  const internal = grpcStatusOf(new TypeError('cannot read x of undefined'), 'Evaluate', 2);
  assert.deepEqual(internal, {
    code: grpc.status.INTERNAL,
    details: "internal error in Evaluate on rank 2 (see that worker's log)",
    deliberate: false,
  });
});
