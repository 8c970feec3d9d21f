import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { CheckpointStore, checkpointDir } from '../../src/coordinator/index.js';
import { tempRunDir, freePort } from '../distributed/helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

async function until(what: string, ok: () => boolean, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A coordinator process with one remote worker process, training until two checkpoints are written. */
async function runningPair(t: TestContext): Promise<{
  coordinator: ChildProcess;
  address: string;
  out: string;
  stderr: () => string;
  workerExit: Promise<{ code: number | null; at: number }>;
}> {
  const out = path.join(tempRunDir(t, 'sc-coord-'), 'run');
  const address = `127.0.0.1:${await freePort()}`;
  const coordinator = spawn(
    process.execPath,
    [
      CLI,
      'fit',
      '--model',
      'mlp',
      '--data',
      'sample',
      '--backend',
      'cpu',
      '--batch-size',
      '32',
      '--iterations',
      '100000',
      '--no-augment',
      '--listen',
      address,
      '--world-size',
      '1',
      '--out',
      out,
      '--checkpoint-every',
      '2',
      '--no-plots',
      '--log-format',
      'json',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const worker = spawn(process.execPath, [CLI, 'worker', '--join', address, '--log-format', 'json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  t.after(() => {
    coordinator.kill('SIGKILL');
    worker.kill('SIGKILL');
  });
  let stderr = '';
  worker.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const workerExit = new Promise<{ code: number | null; at: number }>((resolve) =>
    worker.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const ckpts = checkpointDir(out);
  await until(
    'two checkpoints',
    () => existsSync(ckpts) && readdirSync(ckpts).filter((f) => f.endsWith('.ckpt')).length >= 2,
    60_000,
  );
  return { coordinator, address, out, stderr: () => stderr, workerExit };
}

test('a killed coordinator: its worker process notices, says so and exits 1 within 10 s; the checkpoint loads', async (t) => {
  const { coordinator, address, out, stderr, workerExit } = await runningPair(t);
  const killedAt = Date.now();
  coordinator.kill('SIGKILL');
  const exit = await workerExit;
  const detectMs = exit.at - killedAt;
  process.stdout.write(`# coordinator killed: the worker exited ${detectMs} ms later\n`);
  assert.equal(exit.code, 1);
  assert.ok(detectMs < 10_000, `within 10 s (took ${detectMs} ms)`);
  assert.match(
    stderr(),
    new RegExp(`the coordinator at ${address.replace(/\./g, '\\.')} refuses connections .*exiting`),
  );
  const { checkpoint } = new CheckpointStore(checkpointDir(out)).latest();
  assert.ok(checkpoint.loop.nextIteration >= 2);
});

test('a hung coordinator (SIGSTOP: the kernel still accepts its connections): its worker exits 1 within 10 s, naming it', async (t) => {
  const { coordinator, address, stderr, workerExit } = await runningPair(t);
  const stoppedAt = Date.now();
  coordinator.kill('SIGSTOP');
  t.after(() => {
    coordinator.kill('SIGCONT');
    coordinator.kill('SIGKILL');
  });
  const exit = await workerExit;
  const detectMs = exit.at - stoppedAt;
  process.stdout.write(`# coordinator stopped (SIGSTOP): the worker exited ${detectMs} ms later\n`);
  assert.equal(exit.code, 1);
  assert.ok(detectMs < 10_000, `within 10 s (took ${detectMs} ms)`);
  assert.match(
    stderr(),
    new RegExp(
      `the coordinator at ${address.replace(/\./g, '\\.')} has not answered a Ping for \\d+ ms .*hung or stopped.*exiting`,
    ),
  );
});
