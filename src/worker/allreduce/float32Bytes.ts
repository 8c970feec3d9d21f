/** Moving float32 elements between a Float32Array and the little-endian bytes a ring chunk carries. */
import { endianness } from 'node:os';

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

/** `data` (a multiple of 4 bytes) as float32 elements; copied only when its byteOffset is not 4-aligned. */
function asFloat32(data: Uint8Array): Float32Array {
  const n = data.byteLength >>> 2;
  if (data.byteOffset % 4 === 0) return new Float32Array(data.buffer, data.byteOffset, n);
  const aligned = new Uint8Array(n * 4);
  aligned.set(data);
  return new Float32Array(aligned.buffer, 0, n);
}

/** target[start + i] += data[i] for every float32 in `data`, each sum rounded to float32. */
export function addBytesInto(target: Float32Array, start: number, data: Uint8Array): void {
  const src = asFloat32(data);
  const dst = target.subarray(start, start + src.length);
  for (let i = 0; i < src.length; i++) dst[i] += src[i];
}

/** target[start + i] = data[i] for every float32 in `data` (a byte copy: the values stay bit-identical). */
export function copyBytesInto(target: Float32Array, start: number, data: Uint8Array): void {
  new Uint8Array(target.buffer, target.byteOffset + start * 4, data.byteLength).set(data);
}

/**
 * addBytesInto for float32 bytes that arrived in pieces (the reads of a socket, taken as they are: no assembling
 * copy). A float split across two pieces is put together from its bytes; pieces are summed through float32 views
 * where they are 4-byte aligned, and copied to an aligned scratch buffer where they are not.
 */
export function addPiecesInto(target: Float32Array, start: number, pieces: readonly Uint8Array[]): void {
  let elem = start;
  const carry = new Uint8Array(4);
  const carried32 = new Float32Array(carry.buffer);
  let carried = 0;
  for (const piece of pieces) {
    let at = 0;
    if (carried > 0) {
      const m = Math.min(4 - carried, piece.byteLength);
      carry.set(piece.subarray(0, m), carried);
      carried += m;
      at = m;
      if (carried < 4) continue;
      target[elem++] += carried32[0];
      carried = 0;
    }
    const whole = (piece.byteLength - at) >>> 2;
    if (whole > 0) {
      addBytesInto(target, elem, piece.subarray(at, at + whole * 4));
      elem += whole;
      at += whole * 4;
    }
    if (at < piece.byteLength) {
      carry.set(piece.subarray(at));
      carried = piece.byteLength - at;
    }
  }
}

/** copyBytesInto for bytes in pieces: one byte copy per piece, wherever floats are split. */
export function copyPiecesInto(target: Float32Array, start: number, pieces: readonly Uint8Array[]): void {
  let at = target.byteOffset + start * 4;
  for (const piece of pieces) {
    new Uint8Array(target.buffer, at, piece.byteLength).set(piece);
    at += piece.byteLength;
  }
}
