/**
 * Turns wasm heap exhaustion into a clear error.
 *
 * tfjs-backend-wasm calls `_malloc` from JS for every tensor and never checks the result: near the ~4 GB cap a
 * failed allocation returns 0 and the tensor silently aliases address 0, and a request of 4 GB or more wraps
 * around (the argument is a 32-bit integer) and returns a too-small block. Both corrupt data silently.
 * The guard wraps the module's `_malloc` so that such requests throw `WasmHeapExhaustedError` instead, and it
 * also refuses blocks that would end in the last `reserveBytes` below the cap, so that the allocations XNNPACK
 * makes internally (packed weights, indirection buffers; not checked by tfjs either) still find room.
 */
import { type WasmBackend } from './wasmBackend.js';

/** Largest heap the tfjs 4.22 wasm module can grow to (its getHeapMax()). */
const WASM_HEAP_MAX_BYTES = 4294901760;
const DEFAULT_RESERVE_BYTES = 64 * 1024 * 1024;

export class WasmHeapExhaustedError extends Error {
  constructor(
    readonly requestedBytes: number,
    readonly heapBytes: number,
    reason: string,
  ) {
    super(
      `wasm heap exhausted: cannot allocate ${(requestedBytes / 2 ** 20).toFixed(1)} MiB (${reason}; heap now ` +
        `${(heapBytes / 2 ** 20).toFixed(0)} MiB, cap ${(WASM_HEAP_MAX_BYTES / 2 ** 20).toFixed(0)} MiB). ` +
        `Use a smaller batch per worker or fewer tensors alive at once.`,
    );
    this.name = 'WasmHeapExhaustedError';
  }
}

const guarded = new WeakSet<object>();

/** Install the guard on this backend's module (idempotent). */
export function installHeapGuard(wb: WasmBackend, reserveBytes = DEFAULT_RESERVE_BYTES): void {
  const m = wb.module;
  if (guarded.has(m)) return;
  // Emscripten exports `_malloc`/`_free` as lazy stubs that overwrite themselves on the module at their first
  // call; make that happen now, so the wrapper installed below is not replaced later.
  m._free(m._malloc(16));
  const malloc = m._malloc.bind(m);
  const free = m._free.bind(m);
  const limit = WASM_HEAP_MAX_BYTES - reserveBytes;
  m._malloc = (bytes: number): number => {
    if (!(bytes >= 0) || bytes > limit) {
      throw new WasmHeapExhaustedError(bytes, m.HEAPU8.length, 'request larger than the heap can ever hold');
    }
    const p = malloc(bytes) >>> 0;
    if (p === 0 && bytes > 0) throw new WasmHeapExhaustedError(bytes, m.HEAPU8.length, 'malloc returned null');
    if (p + bytes > limit) {
      free(p);
      throw new WasmHeapExhaustedError(
        bytes,
        m.HEAPU8.length,
        `block would end within ${(reserveBytes / 2 ** 20).toFixed(0)} MiB of the cap`,
      );
    }
    return p;
  };
  guarded.add(m);
}
