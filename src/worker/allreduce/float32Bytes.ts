/** Moving float32 elements between a Float32Array and the little-endian bytes a ring chunk carries. */
import { endianness } from 'node:os';
import { addSimd } from './float32Sum.js';

/** Chunks carry little-endian float32; this process reads and writes them through native typed-array views. */
export function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') {
    throw new Error(
      `the ring allreduce needs a little-endian host (float32 views are native order), this one is ${endianness()}`,
    );
  }
}

/** Elements [start, end) of `buf` as a Buffer view on the same memory (no copy). */
export function bytesOf(buf: Float32Array, start: number, end: number): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + start * 4, (end - start) * 4);
}

/**
 * Where misaligned bytes are copied to be read as float32: one buffer per thread, grown as needed and reused. The
 * ring's chunks arrive aligned (RingFrameReader's scratch), so this serves other callers' bytes at any offset (the
 * bench's gRPC link sums protobuf fields).
 */
let alignedScratch = new Float32Array(0);

/**
 * `data` (a multiple of 4 bytes) as float32 elements: a view when its byteOffset is 4-aligned, else a copy in the
 * shared scratch buffer, valid until the next call.
 */
function asFloat32(data: Uint8Array): Float32Array {
  const n = data.byteLength >>> 2;
  if (data.byteOffset % 4 === 0) return new Float32Array(data.buffer, data.byteOffset, n);
  if (alignedScratch.length < n) alignedScratch = new Float32Array(Math.max(n, 2 * alignedScratch.length));
  new Uint8Array(alignedScratch.buffer, 0, n * 4).set(data);
  return alignedScratch.subarray(0, n);
}

/** Below this many bytes a sum stays in JavaScript (the SIMD path's copies and call cost more than they save). */
const MIN_SIMD_BYTES = 1024;

/**
 * target[start + i] += data[i] for every float32 in `data`, each sum rounded to float32: in WebAssembly SIMD
 * (float32Sum.ts) for the whole 16-byte groups of a large enough `data` when the module is built, the rest in
 * JavaScript. The JavaScript loop is unrolled by 4 (the same additions, in the same order per element): V8 runs it
 * in about half the CPU time of the one-element loop (scratch measurement on 32 MiB of 64 KiB pieces: 12 ms against
 * 20-30 ms). Both give the same bits.
 */
export function addBytesInto(target: Float32Array, start: number, data: Uint8Array): void {
  const simdBytes = data.byteLength & ~15;
  if (simdBytes >= MIN_SIMD_BYTES && addSimd(target, start, data.subarray(0, simdBytes))) {
    if (simdBytes < data.byteLength) addBytesInJs(target, start + simdBytes / 4, data.subarray(simdBytes));
    return;
  }
  addBytesInJs(target, start, data);
}

/** addBytesInto in JavaScript alone (exported for the test that compares it with the SIMD path). */
export function addBytesInJs(target: Float32Array, start: number, data: Uint8Array): void {
  const src = asFloat32(data);
  const n = src.length;
  const whole = n - (n & 3);
  let o = start;
  let i = 0;
  for (; i < whole; i += 4, o += 4) {
    target[o] += src[i];
    target[o + 1] += src[i + 1];
    target[o + 2] += src[i + 2];
    target[o + 3] += src[i + 3];
  }
  for (; i < n; i++, o++) target[o] += src[i];
}

/** target[start + i] = data[i] for every float32 in `data` (a byte copy: the values stay bit-identical). */
export function copyBytesInto(target: Float32Array, start: number, data: Uint8Array): void {
  new Uint8Array(target.buffer, target.byteOffset + start * 4, data.byteLength).set(data);
}
