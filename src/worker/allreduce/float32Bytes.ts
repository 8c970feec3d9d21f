/** Moving float32 elements between a Float32Array and the little-endian bytes a ring chunk carries. */
import { endianness } from 'node:os';

/** Chunks carry little-endian float32; this process reads and writes them through native typed-array views. */
export function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') {
    throw new Error(`the ring allreduce needs a little-endian host (float32 views are native order), this one is ${endianness()}`);
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
