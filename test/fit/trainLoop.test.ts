import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster, FitCallback, StepTotals, Totals } from '../../src/coordinator/index.js';
import { buildSchedule, NonFiniteLossError, TrainingInterruptedError, trainLoop } from '../../src/coordinator/index.js';
import { resolveFitConfig, resolveGroupValues } from '../../src/shared/config/index.js';
import { oneCycle } from '../../src/shared/schedule/index.js';
import { quietLogger } from '../distributed/helpers.js';

type StepRequest = Parameters<Cluster['step']>[0];

/** The cluster the loop talks to, in memory: it records every Step and answers with the losses given. */
function fakeCluster(losses: (step: number) => number, size = 2) {
  const steps: StepRequest[] = [];
  let evaluations = 0;
  let checksums = 0;
  const fake: Pick<Cluster, 'step' | 'evaluate' | 'verifyReplicas' | 'size'> = {
    size,
    async step(req): Promise<StepTotals> {
      steps.push(req);
      return {
        lossSum: losses(req.step) * 8,
        count: 8,
        correct: 4,
        computeMs: 1,
        allreduceMs: 1,
        exchangeMs: 1,
        workerMs: 2,
      };
    },
    async evaluate(): Promise<Totals> {
      evaluations++;
      return { lossSum: 10, count: 20, correct: 15 };
    },
    async verifyReplicas() {
      checksums++;
      return { weights: 'w', optimizer: 'o', buffers: 'b' };
    },
  };
  return { cluster: fake as Cluster, steps, counts: () => ({ evaluations, checksums }) };
}

function setup(total: number, perEpoch: number, input: Parameters<typeof resolveFitConfig>[0] = {}) {
  const groups = input.lrs?.length ?? 1;
  const config = resolveGroupValues(
    resolveFitConfig({ iterations: total, ...input }),
    Array.from({ length: groups }, (_, g) => `group${g}`),
  );
  const plan = {
    totalIterations: total,
    iterationsPerEpoch: perEpoch,
    schedule: buildSchedule(config, total),
    evalEveryEpoch: true,
    checksumEvery: 3,
  };
  return {
    config,
    plan,
    run: (cluster: Cluster) => ({
      config,
      runDir: 'unused',
      cluster,
      log: quietLogger(),
      totalIterations: total,
      iterationsPerEpoch: perEpoch,
    }),
  };
}

test("each Step carries the step's whole hyperparameters as the schedule gives them, and the records say the same", async () => {
  const { plan, run } = setup(10, 4, { lrs: [0.01, 0.1, 0.4], wds: [0, 1e-4, 1e-3] });
  const f = fakeCluster(() => 1);
  const records: { lr: number; lrs?: number[]; momentum: number }[] = [];
  const recorder: FitCallback = { afterStep: (_ctx, rec) => void records.push(rec) };
  const r = await trainLoop(run(f.cluster), plan, [recorder]);
  assert.equal(r.iterations, 10);
  assert.equal(r.stoppedEarly, undefined);
  // The default one-cycle (div 10, pct 13.68, momentum 0.95 -> 0.85) of the last group's lr, 0.4.
  const cycle = oneCycle({ iterations: 10, maxLr: 0.4, div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 });
  f.steps.forEach((s, i) => {
    const { lr, momentum } = cycle(i);
    assert.deepEqual(
      s,
      {
        step: i,
        epoch: Math.floor(i / 4),
        batchInEpoch: i % 4,
        groupLrs: [(0.01 * lr) / 0.4, (0.1 * lr) / 0.4, lr], // every group scaled by the last group's factor
        momentum,
        groupWeightDecays: [0, 1e-4, 1e-3],
      },
      `step ${i}`,
    );
    assert.deepEqual(records[i], { ...records[i], lr, lrs: s.groupLrs, momentum });
  });
  assert.equal(records.length, 10);
  // epochs end after steps 3, 7 and the last (9); checksums after steps 2, 5, 8
  assert.deepEqual(f.counts(), { evaluations: 3, checksums: 3 });
  assert.deepEqual(
    r.lastEpoch && { epoch: r.lastEpoch.epoch, valLoss: r.lastEpoch.valLoss, accuracy: r.lastEpoch.accuracy },
    { epoch: 2, valLoss: 0.5, accuracy: 0.75 },
  );
});

test("the loop owns the stop flag: a callback's stop() ends it after that step, the first reason kept", async () => {
  const { plan, run } = setup(10, 5);
  const f = fakeCluster(() => 1);
  const stopper: FitCallback = {
    afterStep: (ctx, rec) => {
      if (rec.iteration >= 2) ctx.stop(`stop at ${rec.iteration}`);
    },
  };
  const r = await trainLoop(run(f.cluster), plan, [stopper]);
  assert.equal(r.iterations, 3);
  assert.equal(r.stoppedEarly, 'stop at 2');
  assert.equal(f.steps.length, 3);
  assert.equal(typeof r.ctx.stop, 'function');
});

test('a non-finite loss stops the loop with a NonFiniteLossError naming the step; an interrupt checkpoints, then stops', async () => {
  const { plan, run } = setup(10, 5);
  const bad = fakeCluster((step) => (step === 4 ? Number.NaN : 1));
  await assert.rejects(
    trainLoop(run(bad.cluster), { ...plan, stopOnNonFiniteLoss: true }, []),
    (e: unknown) => e instanceof NonFiniteLossError && /the training loss is NaN at step 4/.test(e.message),
  );
  assert.equal(bad.steps.length, 5);

  const f = fakeCluster(() => 1);
  const abort = new AbortController();
  const saved: number[] = [];
  const interrupter: FitCallback = { afterStep: (_ctx, rec) => void (rec.iteration === 1 && abort.abort('test')) };
  const checkpoint = { every: 0, save: async (s: { nextIteration: number }) => void saved.push(s.nextIteration) };
  await assert.rejects(
    trainLoop(run(f.cluster), { ...plan, interrupt: abort.signal, checkpoint }, [interrupter]),
    TrainingInterruptedError,
  );
  assert.deepEqual(saved, [2]);
  assert.equal(f.steps.length, 2);
});
