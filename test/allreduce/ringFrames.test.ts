import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ByteQueue,
  CHUNK_HEADER_BYTES,
  HELLO_FIXED_BYTES,
  MAX_CHUNK_BYTES,
  decodeChunkHeader,
  decodeHello,
  encodeChunkHeader,
  encodeHello,
  helloTailBytes,
} from '../../src/worker/allreduce/ringFrames.js';

test('a hello and a chunk header read back as written', () => {
  const bytes = encodeHello({ fromRank: 3, ringId: 'run-1/ring-2', token: 'a token of sixteen+ chars' });
  const fixed = bytes.subarray(0, HELLO_FIXED_BYTES);
  assert.equal(helloTailBytes(fixed), bytes.length - HELLO_FIXED_BYTES);
  assert.deepEqual(decodeHello(fixed, bytes.subarray(HELLO_FIXED_BYTES)), {
    fromRank: 3,
    ringId: 'run-1/ring-2',
    token: 'a token of sixteen+ chars',
  });
  const header = { op: 2 ** 40 + 1, phase: 1, round: 6, offset: 2 ** 33, length: 2 ** 34, dataBytes: 4096 };
  const encoded = encodeChunkHeader(header);
  assert.equal(encoded.length, CHUNK_HEADER_BYTES);
  assert.deepEqual(decodeChunkHeader(encoded), header);
});

test('a chunk header announcing more than the cap is refused from the header alone', () => {
  const encoded = encodeChunkHeader({
    op: 0,
    phase: 0,
    round: 0,
    offset: 0,
    length: 1,
    dataBytes: MAX_CHUNK_BYTES + 4,
  });
  assert.match(String(decodeChunkHeader(encoded)), /larger than the 16777216-byte limit/);
  assert.deepEqual(
    typeof decodeChunkHeader(
      encodeChunkHeader({ op: 0, phase: 0, round: 0, offset: 0, length: 1, dataBytes: MAX_CHUNK_BYTES }),
    ),
    'object',
  );
});

test('the byte queue hands out frames across pieces: a view where it can, one copy where a frame spans pieces', () => {
  const stream = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
  const q = new ByteQueue();
  for (const [a, b] of [
    [0, 7],
    [7, 8],
    [8, 60],
    [60, 100],
  ])
    q.push(stream.subarray(a, b));
  assert.equal(q.size, 100);
  assert.equal(q.take(200), undefined, 'not enough bytes yet');
  assert.deepEqual([...(q.take(5) ?? [])], [0, 1, 2, 3, 4]);
  assert.deepEqual([...(q.take(10) ?? [])], [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  const inOnePiece = q.take(40);
  assert.deepEqual(
    [...(inOnePiece ?? [])],
    Array.from({ length: 40 }, (_, i) => 15 + i),
  );
  assert.equal(inOnePiece?.buffer, stream.buffer, 'a view on the piece it lies in');
  const spanning = q.take(20);
  assert.deepEqual(
    [...(spanning ?? [])],
    Array.from({ length: 20 }, (_, i) => 55 + i),
  );
  assert.notEqual(spanning?.buffer, stream.buffer, 'one copy across two pieces');
  assert.equal(q.take(0)?.length, 0);
  assert.deepEqual(
    [...(q.take(25) ?? [])],
    Array.from({ length: 25 }, (_, i) => 75 + i),
  );
  assert.equal(q.size, 0);
});
