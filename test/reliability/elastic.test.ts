import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import {
  CheckpointStore,
  checkpointDir,
  fit,
  launchWorkers,
  type FitCallback,
  type FitSummary,
  type WorkerHandle,
} from '../../src/coordinator/index.js';
import type { ElasticCluster } from '../../src/coordinator/elastic/index.js';
import { resolveFitConfig, type FitConfig, type SpawnMode } from '../../src/shared/config/index.js';
import { freePort, quietLogger, relativeDifference, savedWeights, tempRunDir } from '../distributed/helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

const RUN: Partial<FitConfig> = {
  model: 'mlp',
  data: 'sample',
  backend: 'cpu',
  batchSize: 60,
  iterations: 12,
  lr: 0.3,
  augment: false,
  seed: 2,
  workers: 3,
  checksumEvery: 4,
  checkpointEvery: 4,
};
const KILL_AT = 6;

/** Rank `rank`'s handle, killing the worker right after its Step `step` has been sent (so while that step is in flight). */
function killDuringStep(workers: WorkerHandle[], rank: number, step: number, kill: () => void): WorkerHandle[] {
  return workers.map((w) =>
    w.rank !== rank
      ? w
      : Object.assign(Object.create(w) as WorkerHandle, {
          step: (req: Parameters<WorkerHandle['step']>[0]) => {
            const reply = w.step(req);
            if (req.step === step) kill();
            return reply;
          },
        }),
  );
}

function stepsRecorded(runDir: string): number[] {
  return readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { iteration: number }).iteration);
}

let referenceWeights: Promise<Float32Array> | undefined;
/** The final weights of the same run, uninterrupted (computed once for the file's tests). */
function reference(t: TestContext): Promise<Float32Array> {
  referenceWeights ??= (async () => {
    const out = path.join(tempRunDir(t, 'sc-elastic-ref-'), 'run');
    await fit({ ...RUN, out, spawn: 'thread' }, { logger: quietLogger(), plots: false });
    return savedWeights(out);
  })();
  return referenceWeights;
}

/**
 * Loses local worker rank 1 of 3 at step KILL_AT: a process is SIGKILLed right after its Step was sent (the step is in
 * flight); a thread is terminated, and has ended, just before the step, since worker.terminate() while the thread
 * reads an HTTP/2 stream aborts the whole process (a Node bug, nodejs/node#38418), which is not the fault under test.
 */
async function loseOne(t: TestContext, spawn: SpawnMode): Promise<void> {
  const expected = await reference(t);
  const out = path.join(tempRunDir(t, 'sc-elastic-'), 'run');
  const log = quietLogger();
  const config = resolveFitConfig({ ...RUN, spawn, out, elastic: true });
  const launched = await launchWorkers(config, log, { logFormat: 'json' });
  const rank1 = launched.locals?.find((l) => l.rank === 1);
  assert.ok(rank1, 'rank 1 is a local worker');
  const address = launched.workers[1].address;
  const killedAt: { t?: number } = {};
  const kill = (): void => {
    killedAt.t = Date.now();
    rank1.kill();
  };
  // The thread is gone before the next step is sent: no HTTP/2 data reaches it while it is being torn down.
  const beforeStep: FitCallback = {
    async afterStep(_ctx, rec) {
      if (rec.iteration === KILL_AT - 1) {
        kill();
        await rank1.stop(0);
      }
    },
  };
  const summary: FitSummary =
    spawn === 'thread'
      ? await fit(config, { logger: log, plots: false, workers: launched, callbacks: [beforeStep] })
      : await fit(config, {
          logger: log,
          plots: false,
          workers: { ...launched, workers: killDuringStep(launched.workers, 1, KILL_AT, kill) },
        });
  assert.equal(summary.iterations, 12);
  assert.equal(summary.workers, 2, 'the run ended with the 2 survivors');
  assert.deepEqual(
    stepsRecorded(out),
    Array.from({ length: 12 }, (_, i) => i),
    'every step recorded once, none lost',
  );
  // Checkpoints, evaluation and the export went to the new membership: the last checkpoint is of the whole run.
  assert.equal(new CheckpointStore(checkpointDir(out)).latest().checkpoint.loop.nextIteration, 12);
  assert.ok(Number.isFinite(summary.valLoss));
  const events = summary.elasticEvents ?? [];
  assert.equal(events.length, 1, `one membership change: ${JSON.stringify(events)}`);
  const [lost] = events;
  assert.deepEqual([lost.kind, lost.step, lost.rank, lost.address, lost.workers], ['lost', KILL_AT, 1, address, 2]);
  const detectMs = lost.at - killedAt.t!;
  const diff = relativeDifference(expected, savedWeights(out));
  process.stdout.write(
    `# ${spawn} worker killed ${spawn === 'thread' ? 'just before' : 'during'} step ${KILL_AT}: detected ${detectMs} ms after the kill (${lost.detectMs} ms after the step's dispatch), ` +
      `ring re-formed in ${lost.recoverMs} ms, step ${lost.stepKept ? 'kept (applied by a survivor)' : 'redone'}, 0 steps lost; ` +
      `final weights vs an uninterrupted run: relative difference ${diff.toExponential(2)}\n`,
  );
  assert.ok(detectMs < 10_000, `detected within 10 s (took ${detectMs} ms)`);
  // Exactly one update per step: a skipped or doubled step moves the weights by ~1e-2 relative; ring order ~1e-7.
  assert.ok(diff < 1e-4, `the final weights match an uninterrupted run (relative difference ${diff})`);
}

test('--elastic: a worker thread terminated; the other two finish the run with every step applied once', async (t) => {
  await loseOne(t, 'thread');
});

test('--elastic: a worker process SIGKILLed during a step; the other two finish the run with every step applied once', async (t) => {
  await loseOne(t, 'process');
});

test('--elastic with --listen: a remote worker SIGKILLed, a new one joins; the run ends with 2 workers and identical replicas', async (t) => {
  const expected = await reference(t);
  const out = path.join(tempRunDir(t, 'sc-elastic-join-'), 'run');
  const address = `127.0.0.1:${await freePort()}`;
  const startWorker = (): ChildProcess =>
    spawn(process.execPath, [CLI, 'worker', '--join', address, '--log-format', 'json'], { stdio: 'ignore' });
  const workers = [startWorker(), startWorker()];
  t.after(() => {
    for (const w of workers) w.kill('SIGKILL');
  });
  let killedAt = 0;
  let waitedMs = 0;
  const replace: FitCallback = {
    async afterStep(ctx, rec) {
      if (rec.iteration === 3) {
        killedAt = Date.now();
        workers[0].kill('SIGKILL');
        workers.push(startWorker());
      }
      if (rec.iteration === 5) {
        // Wait (no timing asserted) until the new worker is configured, so it is admitted before step 6.
        const t0 = Date.now();
        const cluster = ctx.cluster as ElasticCluster;
        while (cluster.waitingToJoin === 0) {
          if (Date.now() - t0 > 120_000) throw new Error('the new worker was not ready to join within 120 s');
          await new Promise((r) => setTimeout(r, 50));
        }
        waitedMs = Date.now() - t0;
      }
    },
  };
  const summary = await fit(
    { ...RUN, listen: address, workers: 2, elastic: true, out },
    { logger: quietLogger(), plots: false, callbacks: [replace] },
  );
  assert.equal(summary.iterations, 12);
  assert.equal(summary.workers, 2, 'the run ended with the full world size again');
  assert.deepEqual(
    stepsRecorded(out),
    Array.from({ length: 12 }, (_, i) => i),
  );
  const events = summary.elasticEvents ?? [];
  assert.deepEqual(
    events.map((e) => [e.kind, e.step, e.workers]),
    [
      ['lost', 4, 1],
      ['joined', 6, 2],
    ],
    JSON.stringify(events),
  );
  const saved = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as FitSummary;
  assert.deepEqual(saved.elasticEvents, events, 'summary.json records the membership changes');
  const diff = relativeDifference(expected, savedWeights(out));
  const [lost, joined] = events;
  process.stdout.write(
    `# remote worker SIGKILLed after step 3: detected in ${lost.during} ${lost.at - killedAt} ms after the kill, ring re-formed with 1 worker in ` +
      `${lost.recoverMs} ms; the new worker was configured ${joined.detectMs} ms after its Join (the test waited ${waitedMs} ms ` +
      `at step 5) and admitted at step 6 in ${joined.recoverMs} ms; 0 steps lost; final weights vs uninterrupted: ${diff.toExponential(2)}\n`,
  );
  assert.ok(diff < 1e-4, `the final weights match an uninterrupted run (relative difference ${diff})`);
});

test('--elastic: a hung worker process (SIGSTOP, its connections open) is dropped within 10 s and the run finishes without it', async (t) => {
  const expected = await reference(t);
  const out = path.join(tempRunDir(t, 'sc-elastic-hung-'), 'run');
  const address = `127.0.0.1:${await freePort()}`;
  const workers = [0, 1].map((rank) =>
    spawn(process.execPath, [CLI, 'worker', '--join', address, '--rank', String(rank), '--log-format', 'json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  t.after(() => {
    for (const w of workers) {
      w.kill('SIGCONT');
      w.kill('SIGKILL');
    }
  });
  let stderr = '';
  workers[1].stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => workers[1].once('exit', resolve));
  let stoppedAt = 0;
  let exitCode: number | null | undefined;
  const hang: FitCallback = {
    async afterStep(_ctx, rec) {
      if (rec.iteration === 5) {
        stoppedAt = Date.now();
        workers[1].kill('SIGSTOP');
      }
      // Woken up after the run dropped it, the worker learns so and exits.
      if (rec.iteration === 7) {
        workers[1].kill('SIGCONT');
        exitCode = await exited;
      }
    },
  };
  const summary = await fit(
    { ...RUN, listen: address, workers: 2, elastic: true, out },
    { logger: quietLogger(), plots: false, callbacks: [hang] },
  );
  assert.equal(summary.iterations, 12);
  assert.equal(summary.workers, 1);
  assert.deepEqual(
    stepsRecorded(out),
    Array.from({ length: 12 }, (_, i) => i),
  );
  const [lost, ...more] = summary.elasticEvents ?? [];
  assert.equal(more.length, 0);
  assert.deepEqual([lost.kind, lost.during, lost.rank, lost.workers], ['lost', 'Step 6', 1, 1]);
  const detectMs = lost.at - stoppedAt;
  const diff = relativeDifference(expected, savedWeights(out));
  process.stdout.write(
    `# remote worker SIGSTOPped after step 5: detected in Step 6 ${detectMs} ms after the stop, ring re-formed with 1 worker in ${lost.recoverMs} ms, ` +
      `step 6 ${lost.stepKept ? 'kept' : 'redone'}, 0 steps lost; final weights vs uninterrupted: ${diff.toExponential(2)}; woken up, it exited ` +
      `with code ${exitCode} (0: by the Shutdown sent when it was dropped; 1: told by its Ping)\n`,
  );
  assert.ok(detectMs < 10_000, `detected within 10 s (took ${detectMs} ms)`);
  assert.ok(diff < 1e-4, `the final weights match an uninterrupted run (relative difference ${diff})`);
  // It exits by the Shutdown the run sent it when it dropped it (queued while it was stopped), or, if that call was
  // given up, by its next Ping's answer.
  assert.ok(exitCode === 0 || exitCode === 1, `the dropped worker exited once it could run again (code ${exitCode})`);
  assert.match(
    stderr,
    /lost by the run: Step 6 failed on rank 1|has dropped this worker \(127\.0\.0\.1:\d+\) from the run/,
  );
});
