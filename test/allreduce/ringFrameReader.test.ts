import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingFrameReader, type RingFrameHandlers } from '../../src/worker/allreduce/RingFrameReader.js';
import {
  CHUNK_HEADER_BYTES,
  encodeChunkHeader,
  encodeHello,
  type ChunkHeader,
} from '../../src/worker/allreduce/ringFrames.js';
import { seededFloats } from './ringHarness.js';

interface Seen {
  hellos: string[];
  headers: number[];
  chunks: { offset: number; aligned: boolean; bytes: Buffer }[];
}

function recorder(refuse: Partial<Record<'hello' | 'header' | 'chunk', number>> = {}): {
  seen: Seen;
  handlers: RingFrameHandlers;
} {
  const seen: Seen = { hellos: [], headers: [], chunks: [] };
  return {
    seen,
    handlers: {
      hello: (h) => {
        seen.hellos.push(`${h.ringId}/${h.fromRank}/${h.token}`);
        return refuse.hello !== undefined ? 'no hello wanted' : undefined;
      },
      chunkHeader: (_h, header) => {
        seen.headers.push(header.offset);
        return refuse.header === header.offset ? `header at ${header.offset} refused` : undefined;
      },
      chunk: (_h, header, data) => {
        seen.chunks.push({ offset: header.offset, aligned: data.byteOffset % 4 === 0, bytes: Buffer.from(data) });
        return refuse.chunk === header.offset ? `chunk at ${header.offset} refused` : undefined;
      },
    },
  };
}

/** A HELLO and three chunks of different sizes (the last not a multiple of 8 bytes), back to back. */
function stream(): { bytes: Buffer; datas: Buffer[] } {
  const datas = [37, 64, 5].map((n, i) => Buffer.from(seededFloats(n, 40 + i).buffer));
  const parts: Buffer[] = [encodeHello({ ringId: 'run-7', fromRank: 3, token: 'tök' })];
  let offset = 0;
  for (const data of datas) {
    const h: ChunkHeader = { op: 2, phase: 1, round: 0, offset, length: 1000, dataBytes: data.length };
    parts.push(encodeChunkHeader(h), data);
    offset += data.length / 4;
  }
  return { bytes: Buffer.concat(parts), datas };
}

/** Feeds `bytes` to the reader as a socket with onread would: each read fills at most `readSize` of next(). */
function readInPlace(reader: RingFrameReader, bytes: Buffer, readSize: number): boolean {
  let at = 0;
  while (at < bytes.length) {
    const into = reader.next();
    assert.ok(into.byteLength > 0, 'next() is never empty');
    const n = Math.min(into.byteLength, readSize, bytes.length - at);
    into.set(bytes.subarray(at, at + n));
    at += n;
    if (!reader.filled(n)) return false;
  }
  return true;
}

test('frames read in place, in reads of any size, come out whole, in order, 4-byte aligned, with their headers checked first', () => {
  const { bytes, datas } = stream();
  for (const readSize of [1, 3, 7, 40, 41, 1000, 1 << 20]) {
    const { seen, handlers } = recorder();
    const reader = new RingFrameReader(handlers);
    assert.equal(readInPlace(reader, bytes, readSize), true);
    assert.deepEqual(seen.hellos, ['run-7/3/tök']);
    assert.deepEqual(seen.headers, [0, 37, 101], `read size ${readSize}`);
    assert.deepEqual(
      seen.chunks.map((c) => c.offset),
      [0, 37, 101],
    );
    seen.chunks.forEach((c, i) => {
      assert.ok(c.bytes.equals(datas[i]), `chunk ${i}, read size ${readSize}`);
      assert.ok(c.aligned, `chunk ${i} handed over 4-byte aligned`);
    });
    assert.equal(reader.unfinished(), undefined, 'nothing left half-read');
  }
});

test('pieces pushed as a stream hands them out (cut anywhere) give the same frames', () => {
  const { bytes, datas } = stream();
  for (const cut of [1, 5, 13, 52, 500]) {
    const { seen, handlers } = recorder();
    const reader = new RingFrameReader(handlers);
    for (let at = 0; at < bytes.length; at += cut) assert.equal(reader.push(bytes.subarray(at, at + cut)), true);
    assert.deepEqual(
      seen.chunks.map((c) => c.bytes),
      datas,
      `cut every ${cut} bytes`,
    );
  }
});

test('a refused header stops the reader before any of its data is taken; a refused chunk stops it too', () => {
  const { bytes } = stream();
  const byHeader = recorder({ header: 37 });
  const reader = new RingFrameReader(byHeader.handlers);
  assert.equal(reader.push(bytes), false);
  assert.equal(reader.refusal, 'header at 37 refused');
  assert.deepEqual(
    byHeader.seen.chunks.map((c) => c.offset),
    [0],
    'the refused frame and what follows are not handed over',
  );
  assert.equal(reader.filled(8), false, 'takes nothing more');

  const byChunk = recorder({ chunk: 0 });
  const second = new RingFrameReader(byChunk.handlers);
  assert.equal(second.push(bytes), false);
  assert.equal(second.refusal, 'chunk at 0 refused');
  assert.deepEqual(byChunk.seen.headers, [0]);

  const byHello = recorder({ hello: 1 });
  const third = new RingFrameReader(byHello.handlers);
  assert.equal(third.push(bytes), false);
  assert.equal(third.refusal, 'no hello wanted');
  assert.deepEqual(byHello.seen.headers, []);
});

test('what a connection ending early leaves unfinished: its hello, or a frame with how many of its bytes came', () => {
  const { bytes, datas } = stream();
  const helloBytes = bytes.length - datas.reduce((n, d) => n + CHUNK_HEADER_BYTES + d.length, 0);
  const at = (n: number): ReturnType<RingFrameReader['unfinished']> => {
    const reader = new RingFrameReader(recorder().handlers);
    reader.push(bytes.subarray(0, n));
    return reader.unfinished();
  };
  assert.equal(at(0), undefined);
  assert.deepEqual(at(5), { kind: 'hello' });
  assert.deepEqual(at(helloBytes - 1), { kind: 'hello' });
  assert.equal(at(helloBytes), undefined, 'between frames');
  assert.deepEqual(at(helloBytes + 10), { kind: 'frame', got: 10, want: CHUNK_HEADER_BYTES });
  assert.deepEqual(at(helloBytes + CHUNK_HEADER_BYTES + 30), {
    kind: 'frame',
    got: CHUNK_HEADER_BYTES + 30,
    want: CHUNK_HEADER_BYTES + datas[0].length,
  });
});

test('a malformed header is refused from its 40 bytes alone', () => {
  const reader = new RingFrameReader(recorder().handlers);
  assert.equal(reader.push(encodeHello({ ringId: 'r', fromRank: 0, token: '' })), true);
  assert.equal(reader.push(Buffer.alloc(CHUNK_HEADER_BYTES, 7)), false);
  assert.match(reader.refusal ?? '', /does not start with CHNK/);
});
