/**
 * The coordinator and two workers on three "machines": Linux network namespaces with their own addresses
 * (10.77.0.1-3/24), joined by veth pairs to a bridge that lives in a fourth namespace, so nothing is added to the
 * host's own network. They train over real TCP with the CLI, as on a cluster. Needs root and iproute2.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempRunDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const PORT = 29411;

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** Why the test cannot run here, or undefined. */
function missingPrerequisite(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  const v = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return "iproute2's `ip` is not installed (apt-get install iproute2)";
  const probe = `scprobe${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `\`ip netns add\` is not permitted here: ${r.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function run(ns: string, args: string[], env: NodeJS.ProcessEnv): { done: Promise<Exit>; kill(): void } {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, CLI, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const done = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { done, kill: () => child.kill('SIGKILL') };
}

test('coordinator and two workers in separate network namespaces train over TCP', async (t) => {
  const reason = missingPrerequisite();
  if (reason) {
    console.log(`# skipping the cross-machine test: ${reason}`);
    t.skip(reason);
    return;
  }
  const tag = `sc${process.pid % 100000}`;
  const bridge = `${tag}br`;
  const nodes = [`${tag}c`, `${tag}w1`, `${tag}w2`];
  const created: string[] = [];
  t.after(() => {
    for (const ns of created) spawnSync('ip', ['netns', 'del', ns]);
  });
  for (const ns of [bridge, ...nodes]) {
    ip(['netns', 'add', ns]);
    created.push(ns);
  }
  ip(['-n', bridge, 'link', 'add', 'br0', 'type', 'bridge']);
  ip(['-n', bridge, 'link', 'set', 'br0', 'up']);
  nodes.forEach((ns, i) => {
    ip(['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `port${i}`, 'netns', bridge]);
    ip(['-n', ns, 'addr', 'add', `10.77.0.${i + 1}/24`, 'dev', 'eth0']);
    ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    ip(['-n', bridge, 'link', 'set', `port${i}`, 'master', 'br0']);
    ip(['-n', bridge, 'link', 'set', `port${i}`, 'up']);
  });

  const out = tempRunDir(t);
  // Listening beyond loopback needs the run's shared token: every call (Join, Worker, Ring) then carries it.
  const env = {
    ...process.env,
    SUPERCONVERGE_LOG_LEVEL: 'info',
    SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS: '60000',
    SUPERCONVERGE_TOKEN: 'cross-machine-test-token-0123',
  };
  // Workers first: they retry until the coordinator listens, as on a cluster where tasks start in any order.
  const workers = [1, 2].map((i) =>
    run(nodes[i], ['worker', '--join', `10.77.0.1:${PORT}`, '--log-format', 'json'], env),
  );
  const coordinator = run(
    nodes[0],
    [
      'fit',
      '--listen',
      `10.77.0.1:${PORT}`,
      '--world-size',
      '2',
      '--model',
      'mlp',
      '--backend',
      'cpu',
      '--iterations',
      '6',
      '--batch-size',
      '64',
      '--lr',
      '0.2',
      '--out',
      out,
      '--log-format',
      'json',
      '--checksum-every',
      '2',
    ],
    env,
  );
  const timer = setTimeout(() => {
    for (const p of [coordinator, ...workers]) p.kill();
  }, 120_000);
  const [c, w1, w2] = await Promise.all([coordinator.done, ...workers.map((w) => w.done)]);
  clearTimeout(timer);
  assert.equal(c.code, 0, `coordinator exited with ${c.code ?? c.signal}: ${c.stderr.slice(-2000)}`);
  assert.equal(w1.code, 0, `worker 1 exited with ${w1.code ?? w1.signal}: ${w1.stderr.slice(-2000)}`);
  assert.equal(w2.code, 0, `worker 2 exited with ${w2.code ?? w2.signal}: ${w2.stderr.slice(-2000)}`);

  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
    workers: number;
    iterations: number;
  };
  assert.equal(summary.workers, 2);
  assert.equal(summary.iterations, 6);
  // Each worker advertised its own namespace's address (its route to the coordinator), not loopback.
  const joins = c.stderr
    .split('\n')
    .filter((l) => l.includes('worker joined'))
    .map((l) => JSON.parse(l) as { worker: string; ring: string });
  const hosts = joins.map((j) => [j.worker.split(':')[0], j.ring.split(':')[0]]).sort();
  assert.deepEqual(hosts, [
    ['10.77.0.2', '10.77.0.2'],
    ['10.77.0.3', '10.77.0.3'],
  ]);
});
