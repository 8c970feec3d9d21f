/**
 * ElasticCluster's decisions, with in-memory workers whose failures are scripted: which step stands, whose replica is
 * the truth, what the survivors are told. The fault-injection runs are in elastic.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { WorkerError, type WorkerHandle } from '../../src/coordinator/index.js';
import { ElasticCluster } from '../../src/coordinator/elastic/index.js';
import type { ReformRequest__Output } from '../../src/shared/proto/generated/superconverge/v1/ReformRequest.js';
import type { StepRequest__Output } from '../../src/shared/proto/generated/superconverge/v1/StepRequest.js';
import { createLogger } from '../../src/shared/log/index.js';

const RUN = 'run-e';

function grpcError(code: grpc.status, details: string): Error {
  return new Error(details, { cause: { code, details } });
}

/** Scripted behaviour of a step on one fake worker: apply it, fail with a code, or wait in the ring until Abort. */
type StepScript = 'apply' | 'unreachable' | 'invalid' | 'ring';

/** A worker whose replica is one number (the sum of the steps applied to it, each counting step + 1). */
class FakeWorker implements WorkerHandle {
  weights = 0;
  lastStep = -1;
  applied: number[] = [];
  reforms: ReformRequest__Output[] = [];
  setStates = 0;
  stepCalls: number[] = [];
  private abortRing: ((e: Error) => void) | undefined;
  constructor(
    readonly rank: number,
    readonly address: string,
    private readonly script: (step: number, call: number) => StepScript,
  ) {}

  configure: WorkerHandle['configure'] = async (req) => ({
    rank: req.rank,
    backend: 'cpu',
    parameterCount: 1,
    modelFingerprint: 'fake',
    trainExamples: 100,
    valExamples: 10,
    dataStatsJson: '{}',
    layerGroups: [],
    adapterJson: '',
  });
  step = async (req: StepRequest__Output) => {
    this.stepCalls.push(req.step);
    const what = this.script(req.step, this.stepCalls.filter((s) => s === req.step).length);
    if (what === 'unreachable') throw grpcError(grpc.status.UNAVAILABLE, 'unreachable (read ECONNRESET)');
    if (what === 'invalid')
      throw grpcError(grpc.status.INVALID_ARGUMENT, `Step ${req.step}: this worker expects another step`);
    if (what === 'ring') {
      await new Promise<never>((_, reject) => {
        this.abortRing = reject;
      });
    }
    this.weights += req.step + 1;
    this.lastStep = req.step;
    this.applied.push(req.step);
    return { step: req.step, lossSum: 1, count: 10, correct: 5, computeMs: 1, allreduceMs: 1 };
  };
  evaluate: WorkerHandle['evaluate'] = async () => ({ lossSum: 1, count: 10, correct: 5 });
  checksum: WorkerHandle['checksum'] = async () => ({ weights: String(this.weights), optimizer: 'm', buffers: 'b' });
  syncBuffers: WorkerHandle['syncBuffers'] = async () => undefined;
  getState: WorkerHandle['getState'] = async (runId) => ({
    runId,
    weights: Buffer.from(String(this.weights)),
    momentum: Buffer.alloc(0),
    buffers: Buffer.alloc(0),
    weightTensors: [],
    bufferTensors: [],
  });
  setState: WorkerHandle['setState'] = async (s) => {
    this.weights = Number(s.weights.toString());
    this.lastStep = -1;
    this.setStates++;
  };
  exportModel: WorkerHandle['exportModel'] = async () => ({ modelJson: '{}', weights: Buffer.alloc(0) });
  shutdown: WorkerHandle['shutdown'] = async () => undefined;
  abort: WorkerHandle['abort'] = async () => {
    if (this.script(-1, 0) === 'unreachable') throw grpcError(grpc.status.UNAVAILABLE, 'unreachable');
    this.abortRing?.(grpcError(grpc.status.ABORTED, 'allreduce on rank ?: aborted by the caller'));
    this.abortRing = undefined;
    return { lastStep: this.lastStep };
  };
  reform: WorkerHandle['reform'] = async (req) => {
    this.reforms.push(req);
  };
}

const req = (step: number) => ({
  step,
  epoch: 0,
  batchInEpoch: step,
  momentum: 0.9,
  groupLrs: [0.1],
  groupWeightDecays: [0],
});

async function cluster(workers: FakeWorker[], minWorkers = 1): Promise<ElasticCluster> {
  const c = new ElasticCluster(workers, RUN, { log: createLogger({ level: 'silent' }), minWorkers });
  await c.configure(
    {} as never,
    workers.map((_, i) => `127.0.0.1:${6000 + i}`),
  );
  for (let s = 0; s < 3; s++) await c.step(req(s));
  return c;
}

/** Fails at step 3 as `at3` says for each rank (every call of it, Abort included where 'unreachable'). */
const failAt3 = (at3: StepScript) => (step: number) =>
  step === 3 || (step === -1 && at3 === 'unreachable') ? at3 : 'apply';

test('elastic: a step no survivor applied is redone by the survivors, once, and the ring re-formed without the lost rank', async () => {
  // Ranks 0 and 2 wait in the ring (on the lost rank 1) on their first try of step 3 only.
  const ringOnFirstTry = (s: number, n: number): StepScript => (s === 3 && n === 1 ? 'ring' : 'apply');
  const w = [
    new FakeWorker(0, 'w0', ringOnFirstTry),
    new FakeWorker(1, 'w1', failAt3('unreachable')),
    new FakeWorker(2, 'w2', ringOnFirstTry),
  ];
  const c = await cluster(w);
  const r = await c.step(req(3));
  assert.equal(r.count, 20, "the redone step covers both survivors' shards");
  assert.deepEqual(
    [w[0].applied, w[2].applied],
    [
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ],
    'each survivor applied step 3 once',
  );
  assert.deepEqual(
    w[0].reforms.map((f) => [f.rank, f.worldSize, f.nextStep, f.ringAddresses]),
    [[0, 2, 3, ['127.0.0.1:6000', '127.0.0.1:6002']]],
  );
  assert.deepEqual(
    w[2].reforms.map((f) => [f.rank, f.worldSize, f.nextStep]),
    [[1, 2, 3]],
  );
  assert.equal(w[0].setStates + w[2].setStates, 0, 'identical survivors: no state copied');
  assert.deepEqual(
    c.events.map((e) => [e.kind, e.step, e.rank, e.address, e.workers, e.stepKept]),
    [['lost', 3, 1, 'w1', 2, false]],
  );
  assert.deepEqual(
    c.workers.map((x) => [x.rank, x.address]),
    [
      [0, 'w0'],
      [1, 'w2'],
    ],
  );
  await c.step(req(4));
  assert.deepEqual(w[2].applied, [0, 1, 2, 3, 4]);
});

test('elastic: a step one survivor applied stands; its replica is copied to the survivor that had not, and the step is not redone', async () => {
  const w = [
    new FakeWorker(0, 'w0', failAt3('apply')),
    new FakeWorker(1, 'w1', failAt3('unreachable')),
    new FakeWorker(2, 'w2', failAt3('ring')),
  ];
  const c = await cluster(w);
  const r = await c.step(req(3));
  assert.equal(r.count, 10, 'the loss of the shard that answered');
  assert.deepEqual(w[0].applied, [0, 1, 2, 3]);
  assert.deepEqual(w[2].applied, [0, 1, 2], 'rank 2 never applied step 3 itself...');
  assert.equal(w[2].weights, w[0].weights, "...but has rank 0's replica, which did");
  assert.equal(w[2].setStates, 1);
  assert.deepEqual(w[2].stepCalls.filter((s) => s === 3).length, 1, 'step 3 was not sent again');
  assert.deepEqual([w[0].reforms[0].nextStep, w[2].reforms[0].nextStep], [4, 4], 'both accept only step 4 next');
  assert.deepEqual(
    c.events.map((e) => [e.kind, e.step, e.rank, e.stepKept]),
    [['lost', 3, 1, true]],
  );
});

test('elastic: fewer workers than --min-workers left stops the run, naming the lost rank; a failure that loses no worker is not recovered', async () => {
  const w = [
    new FakeWorker(0, 'w0', failAt3('ring')),
    new FakeWorker(1, 'w1', failAt3('unreachable')),
    new FakeWorker(2, 'w2', failAt3('unreachable')),
  ];
  const c = await cluster(w, 2);
  await assert.rejects(
    c.step(req(3)),
    (e: Error) =>
      e instanceof WorkerError &&
      /worker rank 1 \(w1\) failed in Step 3: .*1 worker\(s\) remain, fewer than --min-workers 2/.test(e.message),
  );
  const v = [new FakeWorker(0, 'v0', failAt3('apply')), new FakeWorker(1, 'v1', failAt3('invalid'))];
  const d = await cluster(v);
  await assert.rejects(
    d.step(req(3)),
    (e: Error) =>
      e instanceof WorkerError && /worker rank 1 \(v1\) failed in Step 3: .*expects another step/.test(e.message),
  );
  assert.equal(v[0].reforms.length, 0, 'no ring re-formed');
  assert.equal(d.events.length, 0);
});
