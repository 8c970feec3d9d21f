/**
 * Signals before the first step (issue 16, item 1) and no orphaned worker processes after the coordinator dies
 * (item 7). Kubernetes and Slurm send one SIGTERM: it must end a coordinator still waiting for its workers, and a
 * worker still waiting to join, at once and truthfully.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, tempRunDir } from '../distributed/helpers.js';
import { alive, childrenOf } from '../../bench/procTree.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** The CLI as a child process, with its stderr collected and its exit code awaited. */
function cli(
  t: TestContext,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  t.after(() => {
    child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  // A process ended by a signal reports it as a shell does: 128 + its number.
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 + constants.signals[sig] : null))),
  );
  return { child, stderr: () => stderr, exit };
}

async function until(what: string, ok: () => boolean, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves with the exit code, or rejects when the process has not exited within limitMs. */
function within<T>(p: Promise<T>, limitMs: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not happen within ${limitMs} ms`)), limitMs).unref(),
    ),
  ]);
}

for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  test(`a coordinator waiting for its workers ends at one ${signal}, exit ${code}, saying nothing was trained`, async (t) => {
    const out = path.join(tempRunDir(t, 'sc-signal-'), 'run');
    const listen = `127.0.0.1:${await freePort()}`;
    const c = cli(
      t,
      [
        'fit',
        '--model',
        'mlp',
        '--backend',
        'cpu',
        '--no-plots',
        '--iterations',
        '20',
        '--world-size',
        '1',
        '--listen',
        listen,
        '--out',
        out,
      ],
      { SUPERCONVERGE_LOG_LEVEL: 'info' },
    );
    await until('the coordinator to wait for workers', () => /waiting for 1 worker/.test(c.stderr()), 120_000);
    c.child.kill(signal);
    assert.equal(await within(c.exit, 30_000, 'the exit'), code, c.stderr());
    assert.match(c.stderr(), new RegExp(`${signal}: stopping now \\(no step has run yet\\)`));
    assert.match(
      c.stderr(),
      new RegExp(
        `${signal} while waiting for 1 worker\\(s\\) to join ${listen} \\(0 joined\\): stopped before the first step`,
      ),
    );
    assert.doesNotMatch(
      c.stderr(),
      /after the step in flight|\n\s+at /,
      'no untrue promise of a checkpoint, no stack trace',
    );
  });
}

test('a worker waiting to join a coordinator that is not there says it retries, and ends at one SIGTERM (exit 143)', async (t) => {
  const w = cli(t, ['worker', '--join', `127.0.0.1:${await freePort()}`]);
  await until(
    'the worker to say it retries',
    () => /not reachable yet .*retrying every 500 ms/.test(w.stderr()),
    120_000,
  );
  w.child.kill('SIGTERM');
  assert.equal(await within(w.exit, 30_000, 'the exit'), 143, w.stderr());
  assert.match(w.stderr(), /SIGTERM: worker exiting/);
});

for (const when of ['before its workers joined', 'while training'] as const) {
  test(`a coordinator SIGKILLed ${when} leaves no worker process behind`, {
    skip: !existsSync('/proc/self/stat') && 'needs /proc to find the worker processes',
  }, async (t) => {
    const out = path.join(tempRunDir(t, 'sc-orphan-'), 'run');
    // The liveness probes would end the workers within 10 s anyway: with an hour, only the launcher's pipe can.
    const c = cli(
      t,
      [
        'fit',
        '--model',
        'mlp',
        '--backend',
        'cpu',
        '--no-plots',
        '--iterations',
        '100000',
        '--batch-size',
        '32',
        '--workers',
        '2',
        '--spawn',
        'process',
        '--log-format',
        'json',
        '--out',
        out,
      ],
      { SUPERCONVERGE_LIVENESS_TIMEOUT_MS: '3600000' },
    );
    let workers: number[] = [];
    await until('two worker processes', () => (workers = childrenOf(c.child.pid!)).length === 2, 120_000);
    t.after(() => {
      for (const p of workers)
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
    });
    if (when === 'while training')
      await until(
        'training steps',
        () =>
          existsSync(path.join(out, 'metrics.jsonl')) &&
          readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').length > 3,
        180_000,
      );
    c.child.kill('SIGKILL');
    const killed = Date.now();
    // A worker still loading its modules sees the pipe close once it gets to watch it: seconds on a busy machine.
    await until('the worker processes to exit', () => !workers.some(alive), 120_000);
    process.stdout.write(
      `# coordinator SIGKILLed ${when}: its ${workers.length} workers were gone ${Date.now() - killed} ms later\n`,
    );
  });
}
