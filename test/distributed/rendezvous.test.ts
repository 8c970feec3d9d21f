import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { RendezvousServer } from '../../src/coordinator/index.js';
import { ConfigError, parseHostPort, readSettings, rendezvousFromEnv } from '../../src/shared/config/index.js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import type { JoinReply__Output } from '../../src/shared/proto/generated/superconverge/v1/JoinReply.js';
import type { JoinRequest } from '../../src/shared/proto/generated/superconverge/v1/JoinRequest.js';
import { quietLogger } from './helpers.js';

function join(address: string, req: JoinRequest): Promise<JoinReply__Output> {
  const client = new (loadProto().superconverge.v1.Rendezvous)(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.Join(req, { deadline: Date.now() + 5000 }, (err, reply) => {
      client.close();
      if (err) reject(err);
      else resolve(reply!);
    });
  });
}

const member = (i: number, requestedRank = -1): JoinRequest => ({
  workerAddress: `10.77.0.${i}:5000`,
  ringAddress: `10.77.0.${i}:5001`,
  hostname: `node${i}`,
  requestedRank,
});

test('rendezvous: requested ranks are kept, others get the highest free rank, a retry gets the same rank, and refusals say why', async (t) => {
  const server = await RendezvousServer.listen({
    bindAddress: '127.0.0.1:0',
    worldSize: 3,
    runId: 'run-1',
    log: quietLogger(),
  });
  t.after(() => server.close());
  const waiting = server.waitForAll(10_000);
  const free = await join(server.address, member(1));
  assert.deepEqual(free, { rank: 2, worldSize: 3, runId: 'run-1' });
  assert.equal(
    (await join(server.address, member(1))).rank,
    2,
    'a repeated Join from the same addresses is the same member',
  );
  assert.equal((await join(server.address, member(2, 0))).rank, 0);
  await assert.rejects(join(server.address, member(3, 0)), {
    code: grpc.status.ALREADY_EXISTS,
    details: 'rank 0 is taken by node2 (10.77.0.2:5000)',
  });
  await assert.rejects(join(server.address, member(3, 7)), {
    code: grpc.status.INVALID_ARGUMENT,
    details: 'requested rank 7 is not below the world size 3',
  });
  await assert.rejects(join(server.address, { ...member(3), ringAddress: 'nonsense' }), {
    code: grpc.status.INVALID_ARGUMENT,
  });
  assert.equal((await join(server.address, member(3))).rank, 1);
  const members = await waiting;
  assert.deepEqual(
    members.map((m) => [m.rank, m.workerAddress, m.ringAddress]),
    [
      [0, '10.77.0.2:5000', '10.77.0.2:5001'],
      [1, '10.77.0.3:5000', '10.77.0.3:5001'],
      [2, '10.77.0.1:5000', '10.77.0.1:5001'],
    ],
  );
  await assert.rejects(join(server.address, member(4)), {
    code: grpc.status.FAILED_PRECONDITION,
    details: 'all 3 workers have joined already',
  });
});

test('rendezvous: waiting past the timeout names who joined and the missing ranks', async (t) => {
  const server = await RendezvousServer.listen({
    bindAddress: '127.0.0.1:0',
    worldSize: 3,
    runId: 'run-2',
    log: quietLogger(),
  });
  t.after(() => server.close());
  await join(server.address, member(5, 1));
  await assert.rejects(server.waitForAll(200), (e: Error) => {
    assert.match(
      e.message,
      /^only 1 of 3 workers joined 127\.0\.0\.1:\d+ within 200 ms .*joined: rank 1 from node5 \(10\.77\.0\.5:5000\); missing ranks 0, 2$/,
    );
    return true;
  });
});

test('rendezvous from Slurm and PyTorchJob variables', () => {
  assert.deepEqual(rendezvousFromEnv({ MASTER_ADDR: 'master-0', MASTER_PORT: '23456', RANK: '2', WORLD_SIZE: '4' }), {
    coordinator: 'master-0:23456',
    host: 'master-0',
    port: 23456,
    rank: 2,
    worldSize: 4,
    source: 'MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE',
  });
  const slurm = rendezvousFromEnv({ MASTER_ADDR: 'node017', SLURM_PROCID: '0', SLURM_NTASKS: '8' });
  assert.deepEqual([slurm.coordinator, slurm.rank, slurm.worldSize], ['node017:29500', 0, 8]);
  assert.throws(
    () => rendezvousFromEnv({ RANK: '0', WORLD_SIZE: '2' }),
    (e: Error) => e instanceof ConfigError && /needs MASTER_ADDR/.test(e.message),
  );
  assert.throws(() => rendezvousFromEnv({ MASTER_ADDR: 'a', RANK: '2', WORLD_SIZE: '2' }), {
    message: 'RANK=2 is not below WORLD_SIZE=2',
  });
  assert.throws(() => rendezvousFromEnv({ MASTER_ADDR: 'a', RANK: 'x', WORLD_SIZE: '2' }), {
    message: "RANK must be an integer >= 0, got 'x'",
  });
  assert.throws(() => rendezvousFromEnv({ MASTER_ADDR: 'a', SLURM_PROCID: '0' }), {
    message: 'rendezvous from the environment needs WORLD_SIZE or SLURM_NTASKS',
  });
});

test('settings come from SUPERCONVERGE_* variables, and a bad one is named', () => {
  const s = readSettings({ SUPERCONVERGE_STEP_DEADLINE_MS: '1234' });
  assert.equal(s.stepDeadlineMs, 1234);
  assert.equal(s.controlDeadlineMs, 60_000);
  assert.throws(() => readSettings({ SUPERCONVERGE_CONTROL_DEADLINE_MS: '-5' }), {
    message:
      "SUPERCONVERGE_CONTROL_DEADLINE_MS must be a whole number of milliseconds from 1 to 2147483647 (24.8 days), got '-5'",
  });
  assert.deepEqual(parseHostPort('[::1]:80', '--listen'), { host: '::1', port: 80 });
  assert.throws(() => parseHostPort('10.0.0.1', '--listen'), {
    message: "--listen must be HOST:PORT (e.g. 10.0.0.1:29500), got '10.0.0.1'",
  });
});
