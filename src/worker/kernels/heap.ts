/**
 * Raw memory access for kernels that move data themselves on the wasm heap.
 *
 * Pitfalls this file owns:
 * - A Float32Array over the heap goes stale when the memory grows: call `f32()` again after ANY allocation.
 * - A view (a tensor aliasing part of another tensor's memory) must be released with `disposeView`, which
 *   unregisters it (running XNNPACK's operator-cache disposal for its id) without freeing the parent's memory.
 */
import * as tf from '@tensorflow/tfjs';
import { type WasmBackend } from './wasmBackend.js';

/** A fresh float32 view of the whole heap (re-create after any allocation). */
export function heapF32(wb: WasmBackend): Float32Array {
  return new Float32Array(wb.module.HEAPU8.buffer);
}

/** Index (in floats) of a float32 tensor's first element in `heapF32`. */
export function offsetF32(wb: WasmBackend, t: tf.TensorInfo): number {
  const off = wb.data(t).memoryOffset;
  if (off % 4 !== 0) throw new Error(`wasm kernels: tensor [${t.shape}] at byte ${off} is not float-aligned`);
  return off / 4;
}

/** Allocate an uninitialised float32 tensor (optionally zero-filled). */
export function allocF32(wb: WasmBackend, shape: number[], zero = false): tf.TensorInfo {
  const t = wb.raw.makeOutput(shape, 'float32');
  if (zero) {
    const n = tf.util.sizeFromShape(shape);
    const o = offsetF32(wb, t);
    heapF32(wb).fill(0, o, o + n);
  }
  return t;
}

/** Copy a JS array into a new float32 tensor on the heap. */
export function uploadF32(wb: WasmBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  return wb.raw.makeOutput(shape, 'float32', undefined, values);
}

/** A zero-copy tensor of `shape` over `parent`'s memory starting `offsetFloats` in. Release with disposeView. */
export function viewF32(wb: WasmBackend, parent: tf.TensorInfo, offsetFloats: number, shape: number[]): tf.TensorInfo {
  const d = wb.data(parent);
  return wb.raw.makeOutput(shape, 'float32', d.memoryOffset + 4 * offsetFloats);
}

/** Unregister a view made by viewF32 (its memory belongs to the parent and is not freed). */
export function disposeView(wb: WasmBackend, v: tf.TensorInfo): void {
  const d = wb.data(v);
  wb.module.tfjs.disposeData(d.id);
  wb.raw.dataIdMap.delete(v.dataId);
}

/** Release intermediate tensors made inside a kernel (decrements ref counts like the engine would). */
export function disposeAll(wb: WasmBackend, ...ts: tf.TensorInfo[]): void {
  for (const t of ts) wb.raw.disposeData(t.dataId);
}
