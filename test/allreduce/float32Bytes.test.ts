import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addBytesInJs, addBytesInto, bytesOf, copyBytesInto } from '../../src/worker/allreduce/float32Bytes.js';
import { float32SumKind } from '../../src/worker/allreduce/float32Sum.js';
import { seededFloats } from './ringHarness.js';

function littleEndianBytes(values: number[], byteOffset: number): Buffer {
  const backing = Buffer.alloc(byteOffset + values.length * 4);
  values.forEach((v, i) => backing.writeFloatLE(v, byteOffset + i * 4));
  return backing.subarray(byteOffset);
}

test('adds little-endian float32 bytes whatever their byteOffset alignment', () => {
  for (const byteOffset of [0, 1, 2, 3, 4]) {
    const target = new Float32Array([10, 20, 30, 40]);
    addBytesInto(target, 1, littleEndianBytes([0.5, -1, 2.25], byteOffset));
    assert.deepEqual(Array.from(target), [10, 20.5, 29, 42.25], `byteOffset ${byteOffset}`);
  }
});

test('the unrolled sum gives each element the bits of one float32 addition, for every tail length and start', () => {
  for (let n = 0; n <= 9; n++) {
    for (const start of [0, 1, 3]) {
      const data = seededFloats(n, 10 + n);
      // Magnitudes apart, so that most sums round.
      const base = seededFloats(n + start + 2, 20 + n).map((x) => x * 1e4);
      const got = base.slice();
      addBytesInto(got, start, Buffer.from(data.buffer));
      const want = base.slice();
      for (let i = 0; i < n; i++) want[start + i] = Math.fround(base[start + i] + data[i]);
      assert.ok(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `n ${n}, start ${start}`);
    }
  }
});

test('copies bytes exactly, NaN payloads and negative zero included', () => {
  const source = new Float32Array([Number.NaN, -0, 1.5]);
  new Uint32Array(source.buffer)[0] = 0x7fc01234;
  const target = new Float32Array(5);
  copyBytesInto(target, 2, Buffer.from(littleEndianBytes([0], 3).buffer, 3, 0)); // zero bytes: no-op
  copyBytesInto(target, 2, bytesOf(source, 0, 3));
  assert.equal(new Uint32Array(target.buffer)[2], 0x7fc01234);
  assert.ok(Object.is(target[3], -0));
  assert.equal(target[4], 1.5);
});

test('bytesOf views the elements without copying', () => {
  const buf = new Float32Array([1, 2, 3, 4]);
  const view = bytesOf(buf.subarray(1), 1, 3);
  assert.equal(view.byteLength, 8);
  assert.equal(view.readFloatLE(0), 3);
  buf[3] = 9;
  assert.equal(view.readFloatLE(4), 9);
});

test('the SIMD sum (the built wasm module) gives the bits of the JavaScript one, over blocks, tails and any alignment', () => {
  assert.equal(float32SumKind(), 'wasm-simd', 'float32Sum.wasm is built by `npm run build` (src/worker/buildWasm.ts)');
  const special = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e-45, -1e-45, 3.4e38, -3.4e38];
  // Sizes around the SIMD threshold, a 16-byte tail, and beyond one 1 MiB block of the module's memory.
  for (const n of [255, 256, 257, 1000, 1003, 262_144 + 5]) {
    for (const byteOffset of [0, 1, 4]) {
      const data = seededFloats(n, n + byteOffset);
      data.set(special, n >> 1);
      const bytes = littleEndianBytes(Array.from(data), byteOffset);
      const base = seededFloats(n + 7, 3 * n).map((x) => x * 1e3);
      base.set(
        special.map((x) => -x),
        n >> 1,
      );
      const simd = base.slice();
      addBytesInto(simd, 5, bytes);
      const js = base.slice();
      addBytesInJs(js, 5, bytes);
      assert.ok(Buffer.from(simd.buffer).equals(Buffer.from(js.buffer)), `n ${n}, byteOffset ${byteOffset}`);
      assert.equal(simd[5 + (n >> 1)], Math.fround(base[5 + (n >> 1)] + data[n >> 1]));
    }
  }
});
