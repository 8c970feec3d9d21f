/**
 * target[start + i] += src[i] for a block of little-endian float32, in WebAssembly SIMD (float32SumWat.ts) when the
 * built module is there: both operands are copied into the module's memory a block at a time, summed four lanes at
 * once, and the sums copied back. Three memcpys and a SIMD loop take about a third of the CPU of V8's scalar
 * typed-array loop (scratch measurement, 32 MiB in 1 MiB chunks on the shared 2-core EPYC: 9-15 ms against
 * 24-45 ms). Without the module (a build that skipped the wasm step) it returns false and the caller sums in
 * JavaScript; the bits are the same either way.
 */
import { readFileSync } from 'node:fs';
import { FLOAT32_SUM_BLOCK_BYTES, FLOAT32_SUM_WASM } from './float32SumWat.js';

interface SumModule {
  memory: Uint8Array;
  add: (dst: number, src: number, bytes: number) => void;
}

let loaded: SumModule | null | undefined;

function load(): SumModule | null {
  const url = new URL(FLOAT32_SUM_WASM, import.meta.url);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(url));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`the ring's SIMD sum ${url.pathname} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const { memory, add } = instance.exports as { memory: WebAssembly.Memory; add: SumModule['add'] };
  // The memory's size is fixed (its maximum is its initial size), so this view never detaches.
  return { memory: new Uint8Array(memory.buffer), add };
}

function sumModule(): SumModule | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Which sum the ring uses in this thread: 'wasm-simd' when the built module is there, else 'js'. */
export function float32SumKind(): 'wasm-simd' | 'js' {
  return sumModule() ? 'wasm-simd' : 'js';
}

/**
 * Adds the float32 in `data` (any byte alignment; its length a multiple of 16) into `target` from element `start`
 * with SIMD. False, having done nothing, when the module is not built.
 */
export function addSimd(target: Float32Array, start: number, data: Uint8Array): boolean {
  const mod = sumModule();
  if (!mod) return false;
  const targetBytes = new Uint8Array(target.buffer, target.byteOffset + start * 4, data.byteLength);
  for (let at = 0; at < data.byteLength; at += FLOAT32_SUM_BLOCK_BYTES) {
    const end = Math.min(data.byteLength, at + FLOAT32_SUM_BLOCK_BYTES);
    const n = end - at;
    mod.memory.set(targetBytes.subarray(at, end), 0);
    mod.memory.set(data.subarray(at, end), FLOAT32_SUM_BLOCK_BYTES);
    mod.add(0, FLOAT32_SUM_BLOCK_BYTES, n);
    targetBytes.set(mod.memory.subarray(0, n), at);
  }
  return true;
}
