import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import net from 'node:net';
import { CollectiveError, RingCollective, RingServer, ringOrderSum } from '../../src/worker/allreduce/index.js';
import {
  MAX_CHUNK_BYTES,
  encodeChunkHeader,
  encodeReply,
  REPLY_ACCEPT,
} from '../../src/worker/allreduce/ringFrames.js';
import { chunk, exchange, hello } from './rawRingClient.js';
import { assertBitwiseEqual, assertSumOf, inputsFor, startLocalRing, type LocalRing } from './ringHarness.js';

const FAST_FAILURE = { sendDeadlineMs: 500, peerTimeoutMs: 800, chunkBytes: 64 };

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
    assert.match(
      left.message,
      new RegExp(`rank 1, op 0, reduce-scatter round 0: right neighbour rank 2 \\(${dead}\\) is unreachable`),
    );
    // Rank 0 either times out waiting for rank 2, or hears first from rank 1 that rank 1 broke because of rank 2.
    assert.match(
      right.message,
      new RegExp(`^allreduce on rank 0, op 0, reduce-scatter round 0: .*rank 2 \\(${dead}\\)`),
    );
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
    assert.match(
      err.message,
      new RegExp(
        `^allreduce on rank 0, op 0, reduce-scatter round 0: no chunk from left neighbour rank 1 \\(${ring.servers[1].address}\\) for \\d+ ms \\(peer timeout 800 ms\\)`,
      ),
    );
  } finally {
    await ring.close();
  }
});

/** A TCP server that accepts connections and then does what `onSocket` says (answer nothing, stop reading...). */
async function fakePeer(onSocket: (s: net.Socket) => void): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    onSocket(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a peer that never answers the handshake: the deadline produces an error naming its rank, address, op and phase', async () => {
  const silent = await fakePeer(() => {
    /* accepts, never answers */
  });
  const server = await RingServer.listen();
  const rank0 = new RingCollective({
    server,
    runId: 'r',
    rank: 0,
    worldSize: 2,
    addresses: [server.address, silent.address],
    ...FAST_FAILURE,
    peerTimeoutMs: 60_000,
  });
  try {
    const err = await rejectionOf(rank0.allreduce(new Float32Array(10)));
    assert.equal(err.peerRank, 1);
    assert.equal(err.peerAddress, silent.address);
    assert.equal(err.phase, 'reduce-scatter');
    assert.match(
      err.message,
      new RegExp(
        `op 0, reduce-scatter round 0: right neighbour rank 1 \\(${silent.address}\\) did not complete the handshake within the 500 ms deadline`,
      ),
    );
  } finally {
    await rank0.close();
    await server.close();
    await silent.close();
  }
});

test('a peer that accepts and then stops reading: the send deadline names it, the phase and the round', async () => {
  const stalled = await fakePeer((s) => {
    s.pause();
    s.write(encodeReply(REPLY_ACCEPT));
  });
  const server = await RingServer.listen();
  const rank0 = new RingCollective({
    server,
    runId: 'r',
    rank: 0,
    worldSize: 2,
    addresses: [server.address, stalled.address],
    sendDeadlineMs: 500,
    peerTimeoutMs: 60_000,
  });
  try {
    // 64 MiB: more than the kernel's socket buffers hold, so the sends stop leaving this process.
    const err = await rejectionOf(rank0.allreduce(new Float32Array(16 * 1024 * 1024)));
    assert.equal(err.peerRank, 1);
    assert.match(
      err.message,
      new RegExp(
        `op 0, reduce-scatter round 0: right neighbour rank 1 \\(${stalled.address}\\) did not take a chunk within the 500 ms deadline`,
      ),
    );
  } finally {
    await rank0.close();
    await server.close();
    await stalled.close();
  }
});

test('buffers of different lengths on two ranks fail both with an error naming both lengths', async () => {
  const ring = await startLocalRing(2, FAST_FAILURE);
  try {
    const errs = await Promise.all([
      rejectionOf(ring.ranks[0].allreduce(new Float32Array(40))),
      rejectionOf(ring.ranks[1].allreduce(new Float32Array(48))),
    ]);
    for (const err of errs)
      assert.match(
        err.message,
        /40 elements.*48|48 elements.*40|40.*this rank's (op|buffer) has 48|48.*this rank's (op|buffer) has 40/,
      );
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

describe('forged, malformed, oversized and truncated frames from a raw TCP client', () => {
  let ring: LocalRing;
  const refused: string[] = [];
  before(async () => {
    ring = await startLocalRing(2, { chunkBytes: 64 });
    // Rank 1's server again, with a refusal log (startLocalRing's servers log nothing).
    await ring.ranks[1].close();
    await ring.servers[1].close();
    ring.servers[1] = await RingServer.listen({ onRefused: (_peer, why) => refused.push(why) });
    const addresses = ring.servers.map((s) => s.address);
    await ring.ranks[0].close();
    ring.ranks[0] = new RingCollective({
      server: ring.servers[0],
      runId: 'test-run',
      rank: 0,
      worldSize: 2,
      addresses,
      chunkBytes: 64,
    });
    ring.ranks[1] = new RingCollective({
      server: ring.servers[1],
      runId: 'test-run',
      rank: 1,
      worldSize: 2,
      addresses,
      chunkBytes: 64,
    });
  });
  after(async () => {
    await ring.close();
  });

  const good = { op: 0, phase: 0, round: 0, offset: 0, length: 100 };
  const cases: [string, Buffer[], RegExp][] = [
    [
      'another ring',
      [hello({ ringId: 'other-run' }), chunk(good, Buffer.alloc(64))],
      /run 'other-run', this ring runs 'test-run'/,
    ],
    [
      'a sender that is not the left neighbour',
      [hello({ ringId: 'test-run', fromRank: 1 }), chunk(good, Buffer.alloc(64))],
      /from rank 1, only the left neighbour rank 0/,
    ],
    [
      'a phase that does not exist',
      [hello({ ringId: 'test-run' }), chunk({ ...good, phase: 7 }, Buffer.alloc(64))],
      /phase 7/,
    ],
    [
      'a round beyond the ring',
      [hello({ ringId: 'test-run' }), chunk({ ...good, round: 3 }, Buffer.alloc(64))],
      /round 3 out of range for world size 2/,
    ],
    [
      'a byte length that is not a multiple of 4',
      [hello({ ringId: 'test-run' }), chunk(good, Buffer.alloc(6))],
      /6 bytes, expected a positive multiple of 4/,
    ],
    ['empty data', [hello({ ringId: 'test-run' }), chunk(good, Buffer.alloc(0))], /0 bytes/],
    [
      'a chunk beyond the buffer',
      [hello({ ringId: 'test-run' }), chunk({ ...good, offset: 96 }, Buffer.alloc(64))],
      /\[96, 112\) does not lie within the op's 100 elements/,
    ],
    [
      'a length no Float32Array has',
      [hello({ ringId: 'test-run' }), chunk({ ...good, op: 1, length: 2 ** 40 }, Buffer.alloc(64))],
      /1099511627776 elements, more than a Float32Array holds/,
    ],
    [
      'an offset beyond 2^53',
      [hello({ ringId: 'test-run' }), chunk({ ...good, offset: 2 ** 60 }, Buffer.alloc(64))],
      /does not lie within the op's 100 elements/,
    ],
    [
      'an op far ahead',
      [hello({ ringId: 'test-run' }), chunk({ ...good, op: 9 }, Buffer.alloc(64))],
      /op 9, this rank is at op 0/,
    ],
    [
      'an offset that is not a chunk start',
      [hello({ ringId: 'test-run' }), chunk({ ...good, offset: 3 }, Buffer.alloc(16))],
      /offset 3 is not a chunk start/,
    ],
    [
      'a chunk outside the segment this rank receives',
      [hello({ ringId: 'test-run' }), chunk({ ...good, offset: 50 }, Buffer.alloc(64))],
      /offset 50 is not a chunk start of the segment \[0, 50\)/,
    ],
    [
      'a chunk of the wrong size',
      [hello({ ringId: 'test-run' }), chunk(good, Buffer.alloc(8))],
      /has 2 elements, expected 16/,
    ],
    [
      'a frame that is not a chunk header',
      [hello({ ringId: 'test-run' }), Buffer.alloc(40, 7)],
      /malformed frame: a chunk header does not start with CHNK/,
    ],
    [
      'bytes that are not a hello (an HTTP/2 client)',
      [Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
      /does not start with the ring protocol's hello/,
    ],
    [
      'a hello announcing a huge ring id',
      [Buffer.concat([hello({ ringId: 'x' }).subarray(0, 8), Buffer.from([0xff, 0xff, 0, 0])])],
      /ring id of 65535 bytes, at most 1024/,
    ],
  ];
  for (const [what, parts, message] of cases) {
    test(`${what} is refused with a one-line reason, and the connection closed`, async () => {
      const replies = await exchange(ring.servers[1].address, parts);
      const refusal = replies.at(-1);
      assert.equal(refusal?.kind, 'refuse', `expected a refusal, got ${JSON.stringify(replies)}`);
      assert.match(refusal.message, message);
      assert.doesNotMatch(refusal.message, /\n| {4}at /, 'one line, no stack trace');
    });
  }

  test('an oversized chunk is refused from its header, before its data is read', async () => {
    const header = encodeChunkHeader({ ...good, dataBytes: MAX_CHUNK_BYTES + 4 });
    // Only the header is sent: the refusal cannot have waited for the 16 MiB it announces.
    const replies = await exchange(ring.servers[1].address, [hello({ ringId: 'test-run' }), header]);
    assert.equal(replies.at(-1)?.kind, 'refuse');
    assert.match(
      replies.at(-1)?.message ?? '',
      new RegExp(`chunk of ${MAX_CHUNK_BYTES + 4} bytes is larger than the ${MAX_CHUNK_BYTES}-byte limit`),
    );
  });

  test('a truncated chunk is dropped and logged, and nothing of it is applied', async () => {
    refused.length = 0;
    const frame = chunk(good, Buffer.from(new Float32Array(16).fill(1e6).buffer));
    const replies = await exchange(
      ring.servers[1].address,
      [hello({ ringId: 'test-run' }), frame.subarray(0, 40 + 30)],
      { end: true },
    );
    assert.deepEqual(
      replies.map((r) => r.kind),
      ['accept'],
    );
    for (let i = 0; i < 100 && refused.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.match(
      refused.join('\n'),
      /closed in the middle of a frame \(truncated: 70 of 104 bytes\); the partial chunk was dropped/,
    );
  });

  test('a reduce-scatter chunk cut short while the op runs leaves nothing in the buffer; the real one is summed', async () => {
    const inputs = inputsFor(2, 100, 9);
    const bufs = inputs.map((x) => x.slice());
    // Rank 1's op starts (its buffer attached, its sums streaming in as chunks arrive); rank 0 has sent nothing yet.
    const second = ring.ranks[1].allreduce(bufs[1]);
    const forged = chunk(good, Buffer.from(new Float32Array(16).fill(1e6).buffer));
    const replies = await exchange(
      ring.servers[1].address,
      [hello({ ringId: 'test-run' }), forged.subarray(0, 40 + 36)],
      {
        end: true,
      },
    );
    assert.deepEqual(
      replies.map((r) => r.kind),
      ['accept'],
    );
    await Promise.all([ring.ranks[0].allreduce(bufs[0]), second]);
    const expected = inputs.map((x) => x.slice());
    ringOrderSum(expected);
    assertBitwiseEqual([expected[0], bufs[0], bufs[1]], 'the forged partial chunk left nothing');
  });

  test('after all of that the ring still sums correctly (no forged or partial chunk was applied)', async () => {
    for (const length of [100, 7]) {
      const inputs = inputsFor(2, length, 5);
      const bufs = inputs.map((x) => x.slice());
      await Promise.all(ring.ranks.map((r, i) => r.allreduce(bufs[i])));
      assertSumOf(bufs[0], inputs, `length ${length}`);
      assertBitwiseEqual(bufs, `length ${length}`);
    }
  });
});
