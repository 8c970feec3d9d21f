import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import type { ChunkMessage } from '../../src/shared/proto/generated/superconverge/v1/ChunkMessage.js';
import type { RingClient } from '../../src/shared/proto/generated/superconverge/v1/Ring.js';
import { CollectiveError, GrpcRingCollective, RingServer } from '../../src/worker/allreduce/index.js';
import { assertBitwiseEqual, assertSumOf, inputsFor, startLocalRing, type LocalRing } from './ringHarness.js';

const FAST_FAILURE = { rpcDeadlineMs: 500, peerTimeoutMs: 800, chunkBytes: 64 };

async function rejectionOf(p: Promise<unknown>): Promise<CollectiveError> {
  const r = await Promise.allSettled([p]);
  assert.equal(r[0].status, 'rejected', 'expected the op to fail');
  const reason = (r[0] as PromiseRejectedResult).reason as unknown;
  assert.ok(reason instanceof CollectiveError, `expected a CollectiveError, got ${String(reason)}`);
  return reason;
}

test('a dead peer: its left neighbour names it as unreachable, its right neighbour names it after the peer timeout', async () => {
  const ring = await startLocalRing(3, FAST_FAILURE);
  try {
    const dead = ring.servers[2].address;
    await ring.ranks[2].close();
    await ring.servers[2].close();
    const [left, right] = await Promise.all([
      rejectionOf(ring.ranks[1].allreduce(new Float32Array(100).fill(1))),
      rejectionOf(ring.ranks[0].allreduce(new Float32Array(100).fill(1))),
    ]);
    assert.equal(left.peerRank, 2);
    assert.match(left.message, new RegExp(`rank 1, op 0, reduce-scatter round 0: right neighbour rank 2 \\(${dead}\\) is unreachable`));
    // Rank 0 either times out waiting for rank 2, or hears first from rank 1 that rank 1 broke because of rank 2.
    assert.match(right.message, new RegExp(`^allreduce on rank 0, op 0, reduce-scatter round 0: .*rank 2 \\(${dead}\\)`));
    // The failure sticks: the ring is broken, not silently reusable.
    await assert.rejects(ring.ranks[0].allreduce(new Float32Array(100)), /the ring is broken/);
  } finally {
    await ring.close();
  }
});

test('a live peer that stops taking part: its right neighbour fails after the peer timeout, naming it', async () => {
  const ring = await startLocalRing(2, FAST_FAILURE);
  try {
    // Rank 1 never calls allreduce: it takes rank 0's chunks but sends none.
    const err = await rejectionOf(ring.ranks[0].allreduce(new Float32Array(100).fill(1)));
    assert.equal(err.peerRank, 1);
    assert.equal(err.peerAddress, ring.servers[1].address);
    assert.match(err.message, new RegExp(
      `^allreduce on rank 0, op 0, reduce-scatter round 0: no chunk from left neighbour rank 1 \\(${ring.servers[1].address}\\) for \\d+ ms \\(peer timeout 800 ms\\)`));
  } finally {
    await ring.close();
  }
});

test('a peer that never answers: the push deadline produces an error naming its rank, address, op, phase and round', async () => {
  const silent = new grpc.Server();
  silent.addService(loadProto().superconverge.v1.Ring.service, { PushChunk: () => { /* never answers */ } });
  const port = await new Promise<number>((resolve, reject) =>
    silent.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const server = await RingServer.listen();
  const hung = `127.0.0.1:${port}`;
  const rank0 = new GrpcRingCollective({ server, runId: 'r', rank: 0, worldSize: 2, addresses: [server.address, hung], ...FAST_FAILURE, peerTimeoutMs: 60_000 });
  try {
    const err = await rejectionOf(rank0.allreduce(new Float32Array(10)));
    assert.equal(err.peerRank, 1);
    assert.equal(err.peerAddress, hung);
    assert.equal(err.phase, 'reduce-scatter');
    assert.match(err.message, new RegExp(`op 0, reduce-scatter round 0: right neighbour rank 1 \\(${hung}\\) did not answer a chunk push within the 500 ms deadline`));
  } finally {
    await rank0.close();
    await server.close();
    silent.forceShutdown();
  }
});

test('buffers of different lengths on two ranks fail both with an error naming both lengths', async () => {
  const ring = await startLocalRing(2, FAST_FAILURE);
  try {
    const errs = await Promise.all([
      rejectionOf(ring.ranks[0].allreduce(new Float32Array(40))),
      rejectionOf(ring.ranks[1].allreduce(new Float32Array(48))),
    ]);
    for (const err of errs) assert.match(err.message, /40 elements.*48|48 elements.*40|40.*this rank's (op|buffer) has 48|48.*this rank's (op|buffer) has 40/);
  } finally {
    await ring.close();
  }
});

test('an aborted op rejects with the abort, and the collective stays broken', async () => {
  const ring = await startLocalRing(2, { peerTimeoutMs: 60_000 });
  try {
    const controller = new AbortController();
    const op = ring.ranks[0].allreduce(new Float32Array(1000), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('step cancelled')), 20);
    const err = await rejectionOf(op);
    assert.match(err.message, /rank 0, op 0, setup: aborted by the caller/);
    await assert.rejects(ring.ranks[0].allreduce(new Float32Array(1000)), /the ring is broken/);
  } finally {
    await ring.close();
  }
});

describe('malformed chunks from a raw gRPC client', () => {
  let ring: LocalRing;
  let raw: RingClient;
  before(async () => {
    ring = await startLocalRing(2, { chunkBytes: 64 });
    raw = new (loadProto().superconverge.v1.Ring)(ring.servers[1].address, grpc.credentials.createInsecure());
  });
  after(async () => { raw.close(); await ring.close(); });

  function push(msg: ChunkMessage): Promise<grpc.ServiceError | undefined> {
    return new Promise((resolve) => raw.PushChunk(msg, { deadline: Date.now() + 5000 }, (err) => resolve(err ?? undefined)));
  }
  const good: ChunkMessage = { runId: 'test-run', op: 0, phase: 0, round: 0, fromRank: 0, offset: 0, length: 100, data: Buffer.alloc(64) };
  const cases: [string, ChunkMessage, RegExp][] = [
    ['another run', { ...good, runId: 'other-run' }, /run 'other-run', this ring runs 'test-run'/],
    ['a sender that is not the left neighbour', { ...good, fromRank: 1 }, /from rank 1, only the left neighbour rank 0/],
    ['a phase that does not exist', { ...good, phase: 7 }, /phase 7/],
    ['a round beyond the ring', { ...good, round: 3 }, /round 3 out of range for world size 2/],
    ['a byte length that is not a multiple of 4', { ...good, data: Buffer.alloc(6) }, /6 bytes, expected a positive multiple of 4/],
    ['empty data', { ...good, data: Buffer.alloc(0) }, /0 bytes/],
    ['a chunk beyond the buffer', { ...good, offset: 96 }, /\[96, 112\) does not lie within the op's 100 elements/],
    ['a length no Float32Array has', { ...good, op: 1, length: 2 ** 40 }, /1099511627776 elements, more than a Float32Array holds/],
    ['an op far ahead', { ...good, op: 9 }, /op 9, this rank is at op 0/],
    ['an offset that is not a chunk start', { ...good, offset: 3, data: Buffer.alloc(16) }, /offset 3 is not a chunk start/],
    ['a chunk outside the segment this rank receives', { ...good, offset: 50 }, /offset 50 is not a chunk start of the segment \[0, 50\)/],
    ['a chunk of the wrong size', { ...good, data: Buffer.alloc(8) }, /has 2 elements, expected 16/],
  ];
  for (const [what, msg, details] of cases) {
    test(`${what} is refused with INVALID_ARGUMENT`, async () => {
      const err = await push(msg);
      assert.ok(err, 'expected a refusal');
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT, `${grpc.status[err.code]}: ${err.details}`);
      assert.match(err.details, details);
    });
  }

  test('after all of that the ring still sums correctly', async () => {
    for (const length of [100, 7]) {
      const inputs = inputsFor(2, length, 5);
      const bufs = inputs.map((x) => x.slice());
      await Promise.all(ring.ranks.map((r, i) => r.allreduce(bufs[i])));
      assertSumOf(bufs[0], inputs, `length ${length}`);
      assertBitwiseEqual(bufs, `length ${length}`);
    }
  });
});
