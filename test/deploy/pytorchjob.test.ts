/**
 * deploy/kubernetes/pytorchjob.yaml without a cluster: its pods' command, args and environment, resolved as the
 * kubelet does (the token from the Secret), run as the training operator runs them (RANK, WORLD_SIZE, MASTER_ADDR,
 * MASTER_PORT per pod), with only the model, data and length made small.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseFitFlags } from '../../src/cli/fitFlags.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  command: string[];
  args: string[];
  env: EnvVar[];
}
interface Job {
  spec: { pytorchReplicaSpecs: Record<'Master' | 'Worker', { template: { spec: { containers: Container[] } } }> };
}

const job = parse(readFileSync(path.join(repo, 'deploy/kubernetes/pytorchjob.yaml'), 'utf8')) as Job;
const pod = (role: 'Master' | 'Worker'): Container => job.spec.pytorchReplicaSpecs[role].template.spec.containers[0];

/** A container's environment as the kubelet gives it, from `secrets` (name -> key -> value). */
function resolveEnv(c: Container, secrets: Record<string, Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    c.env.map((e) => {
      const ref = e.valueFrom?.secretKeyRef;
      const value = ref ? secrets[ref.name]?.[ref.key] : e.value;
      assert.ok(value !== undefined, `${c.name}: env ${e.name} has no value (secret ${ref?.name}/${ref?.key} missing)`);
      return [e.name, value];
    }),
  );
}

test('every pod takes the token from the Secret superconverge-token, and runs fit --rendezvous=env with valid flags', () => {
  for (const role of ['Master', 'Worker'] as const) {
    const c = pod(role);
    const token = c.env.find((e) => e.name === 'SUPERCONVERGE_TOKEN');
    assert.deepEqual(
      token,
      { name: 'SUPERCONVERGE_TOKEN', valueFrom: { secretKeyRef: { name: 'superconverge-token', key: 'token' } } },
      role,
    );
    assert.deepEqual(c.command, ['node', 'dist/src/cli/main.js'], role);
    assert.ok(existsSync(path.join(repo, c.command[1])), `${c.command[1]} is what the image builds`);
    assert.equal(c.args[0], 'fit');
    const flags = parseFitFlags(c.args.slice(1));
    assert.equal(flags.rendezvous, 'env');
    assert.equal(flags.logFormat, 'json');
  }
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the training operator adds to each pod's environment. */
const operatorEnv = (rank: number, port: number) => ({
  MASTER_ADDR: rank === 0 ? 'localhost' : '127.0.0.1',
  MASTER_PORT: String(port),
  WORLD_SIZE: '2',
  RANK: String(rank),
});
// The shipped args train resnet56 on CIFAR-10 on a GPU; these later flags (the last one wins) make it small.
const SMALL = [
  '--backend=cpu',
  '--model=mlp',
  '--data=sample',
  '--iterations=3',
  '--batch-size=32',
  '--no-augment',
  '--no-plots',
];

test("the Master and a Worker pod, run as the operator runs them with the Secret's token, train together", async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sc-pytorchjob-'));
  try {
    const secrets = { 'superconverge-token': { token: randomBytes(32).toString('hex') } };
    const port = await freePort();
    const pods = (['Master', 'Worker'] as const).map((role, rank) => {
      const c = pod(role);
      const child = spawn(process.execPath, [c.command[1], ...c.args, ...SMALL, `--out=${path.join(out, 'run')}`], {
        cwd: repo,
        env: { PATH: process.env.PATH, ...resolveEnv(c, secrets), ...operatorEnv(rank, port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
      });
      return new Promise<{ code: number | null; log: string }>((resolve) =>
        child.on('close', (code) => resolve({ code, log })),
      );
    });
    const [master, worker] = await Promise.all(pods);
    assert.equal(master.code, 0, master.log);
    assert.equal(worker.code, 0, worker.log);
    const summary = JSON.parse(readFileSync(path.join(out, 'run', 'summary.json'), 'utf8')) as {
      workers: number;
      iterations: number;
    };
    assert.deepEqual([summary.workers, summary.iterations], [2, 3]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("without the Secret's token the Master refuses to listen on the pod network, and says why", async () => {
  const c = pod('Master');
  const env = {
    PATH: process.env.PATH,
    ...resolveEnv({ ...c, env: c.env.filter((e) => e.name !== 'SUPERCONVERGE_TOKEN') }, {}),
    ...operatorEnv(0, await freePort()),
  };
  const r = spawnSync(process.execPath, [c.command[1], ...c.args, ...SMALL], {
    cwd: repo,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /would listen on 0\.0\.0\.0, .*without a shared token/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
