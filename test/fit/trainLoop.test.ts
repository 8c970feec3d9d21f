import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster, FitCallback, StepTotals, Totals } from '../../src/coordinator/index.js';
import { buildSchedule, NonFiniteLossError, TrainingInterruptedError, trainLoop } from '../../src/coordinator/index.js';
import { resolveFitConfig } from '../../src/shared/config/index.js';
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
      return { lossSum: losses(req.step) * 8, count: 8, correct: 4, computeMs: 1, allreduceMs: 1, workerMs: 2 };
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
  const config = resolveFitConfig({ iterations: total, ...input });
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

test('the loop forwards each step the schedule gives (lr, momentum, every group lr and wd) and evaluates at epoch ends', async () => {
  const { plan, run } = setup(10, 4, { lrs: [0.01, 0.1, 0.4], wds: [0, 1e-4, 1e-3] });
  const f = fakeCluster(() => 1);
  const r = await trainLoop(run(f.cluster), plan, []);
  assert.equal(r.iterations, 10);
  assert.equal(r.stoppedEarly, undefined);
  assert.deepEqual(
    f.steps.map((s) => s.step),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  for (const s of f.steps) {
    const { lr, momentum } = plan.schedule(s.step);
    assert.equal(s.lr, lr);
    assert.equal(s.momentum, momentum);
    const expected = [0.01, 0.1, 0.4].map((g) => (g / 0.4) * lr); // every group scaled by the last group's factor
    assert.equal(s.groupLrs.length, 3);
    s.groupLrs.forEach((g, k) =>
      assert.ok(Math.abs(g - expected[k]) <= 1e-12 * expected[k], `group ${k}: ${g} vs ${expected[k]}`),
    );
    assert.deepEqual(s.groupWeightDecays, [0, 1e-4, 1e-3]);
    assert.equal(s.weightDecay, 1e-3);
    assert.equal(s.epoch, Math.floor(s.step / 4));
    assert.equal(s.batchInEpoch, s.step % 4);
  }
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
