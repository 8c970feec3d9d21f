import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { GrpcWorkerHandle } from '../../src/coordinator/index.js';
import { stepTotals } from '../../src/coordinator/Cluster.js';
import { StepStream } from '../../src/coordinator/StepStream.js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import type { StepReply__Output } from '../../src/shared/proto/generated/superconverge/v1/StepReply.js';
import type { StepRequest__Output } from '../../src/shared/proto/generated/superconverge/v1/StepRequest.js';
import { WorkerNode } from '../../src/worker/grpc/index.js';
import { mlpStep, quietLogger } from './helpers.js';

const step = (n: number): StepRequest__Output => mlpStep(n, 'r1', 1e-4);
const configure = {
  runId: 'r1',
  rank: 0,
  worldSize: 1,
  configJson: JSON.stringify({ model: 'mlp', backend: 'cpu', batchSize: 32, augment: false }),
  ringAddresses: [],
};
/** A reply without its timings (which differ from run to run). */
const outcome = (r: StepReply__Output) => ({ step: r.step, lossSum: r.lossSum, count: r.count, correct: r.correct });

test('steps on the StepStream give the replies and replica of unary Step calls, in order; a failed step ends the stream and the next opens a new one', async (t) => {
  const streamed = await WorkerNode.start({ host: '127.0.0.1', log: quietLogger() });
  const unary = await WorkerNode.start({ host: '127.0.0.1', log: quietLogger() });
  const handle = new GrpcWorkerHandle(0, streamed.workerAddress);
  const client = new (loadProto().superconverge.v1.Worker)(unary.workerAddress, grpc.credentials.createInsecure());
  const unaryStep = (req: StepRequest__Output) =>
    new Promise<StepReply__Output>((resolve, reject) =>
      client.Step(req, { deadline: Date.now() + 20_000 }, (e, r) => (e ? reject(e) : resolve(r!))),
    );
  t.after(async () => {
    handle.close();
    client.close();
    await streamed.close('test over');
    await unary.close('test over');
  });
  await handle.configure(configure);
  await new Promise<void>((resolve, reject) =>
    client.Configure(configure, { deadline: Date.now() + 60_000 }, (e) => (e ? reject(e) : resolve())),
  );

  const viaStream = [outcome(await handle.step(step(0)))];
  // Two steps sent before either is answered (the coordinator does not do this, the stream allows it): in order.
  viaStream.push(...(await Promise.all([handle.step(step(1)), handle.step(step(2))])).map(outcome));
  const viaUnary = [];
  for (const n of [0, 1, 2]) viaUnary.push(outcome(await unaryStep(step(n))));
  assert.deepEqual(viaStream, viaUnary);
  assert.deepEqual(
    await handle.checksum('r1'),
    await new Promise((resolve, reject) =>
      client.Checksum({ runId: 'r1' }, { deadline: Date.now() + 20_000 }, (e, r) => (e ? reject(e) : resolve(r))),
    ),
    'the same replica bit for bit',
  );

  await assert.rejects(handle.step(step(5)), {
    message: 'INVALID_ARGUMENT: Step 5: this worker expects step 3 next',
  });
  assert.equal((await handle.step(step(3))).step, 3, 'the next step, on a new stream');
});

test("a step whose deadline is past its stream call's own goes on a new call; the old one ends after its steps, none lost", async (t) => {
  const node = await WorkerNode.start({ host: '127.0.0.1', log: quietLogger() });
  const client = new (loadProto().superconverge.v1.Worker)(node.workerAddress, grpc.credentials.createInsecure());
  t.after(async () => {
    client.close();
    await node.close('test over');
  });
  await new Promise<void>((resolve, reject) =>
    client.Configure(configure, { deadline: Date.now() + 60_000 }, (e) => (e ? reject(e) : resolve())),
  );
  const opened: unknown[] = [];
  const counting = new Proxy(client, {
    get: (target, key, receiver) =>
      key === 'StepStream'
        ? (...args: unknown[]) => {
            opened.push(args[0]);
            return target.StepStream(...(args as []));
          }
        : Reflect.get(target, key, receiver),
  });
  // A lifetime of 0: every call's deadline is its first step's, so each later step needs a new call.
  const steps = new StepStream(counting, 0);
  const send = (n: number, deadline: number) =>
    new Promise<StepReply__Output>((resolve, reject) =>
      steps.send(step(n), deadline, (e, r) => (e ? reject(e) : resolve(r!))),
    );
  const now = Date.now();
  const replies = await Promise.all([send(0, now + 20_000), send(1, now + 20_001), send(2, now + 20_002)]);
  assert.deepEqual(
    replies.map((r) => r.step),
    [0, 1, 2],
  );
  assert.equal(opened.length, 3, 'one call per step');
  for (const [i, opts] of opened.entries()) {
    assert.deepEqual(opts, { deadline: now + 20_000 + i }, "each call has its first step's deadline");
  }
  steps.end();
});

test("a step's totals: the slowest compute and allreduce, and the shortest allreduce as the exchange without the wait", () => {
  const reply = (computeMs: number, allreduceMs: number): StepReply__Output => ({
    step: 4,
    lossSum: 2,
    count: 64,
    correct: 10,
    computeMs,
    allreduceMs,
  });
  // Rank 0 reached the allreduce 70 ms before rank 1 and waited for it; then both exchanged for 12 ms.
  assert.deepEqual(stepTotals([reply(700, 82), reply(770, 12)]), {
    lossSum: 4,
    count: 128,
    correct: 20,
    computeMs: 770,
    allreduceMs: 82,
    exchangeMs: 12,
    workerMs: 782,
  });
});
