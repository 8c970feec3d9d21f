/**
 * Typed access to the parts of tfjs-backend-wasm 4.22 that the custom kernels use: the backend object, its
 * Emscripten module (heap, malloc/free) and its tensor table. Everything internal is narrowed here, once.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The Emscripten module members we touch (the package types them through an absent EmscriptenModule). */
export interface WasmModule {
  HEAPU8: Uint8Array;
  /** The module's exports; `memory` is the heap itself, which the project's SIMD kernels import. */
  asm: { memory: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, memoryOffset: number): void };
}

/** One row of the backend's tensor table. */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: tf.DataType;
  refCount: number;
}

/** The backend as the kernels see it. */
export interface WasmBackend {
  readonly raw: BackendWasm;
  readonly module: WasmModule;
  data(t: tf.TensorInfo): WasmTensorData;
}

const cache = new WeakMap<object, WasmBackend>();

/** Narrow a kernel's `backend` argument (or `tf.findBackend('wasm')`) to the internals we use. */
export function wasmBackend(backend: unknown): WasmBackend {
  if (backend == null || typeof backend !== 'object' || !('wasm' in backend) || !('dataIdMap' in backend)) {
    throw new Error(`wasm kernels: expected the tfjs wasm backend, got ${String(backend)}`);
  }
  let wb = cache.get(backend);
  if (wb == null) {
    const raw = backend as BackendWasm;
    const module = (raw as unknown as { wasm: WasmModule }).wasm;
    wb = {
      raw,
      module,
      data(t: tf.TensorInfo): WasmTensorData {
        const d = raw.dataIdMap.get(t.dataId) as WasmTensorData | undefined;
        if (d == null) throw new Error(`wasm kernels: tensor of shape [${t.shape}] is not on the wasm backend`);
        return d;
      },
    };
    cache.set(backend, wb);
  }
  return wb;
}
