/**
 * Calling wasm kernels from inside other kernels, without the engine (no tracking, no tape): the caller owns
 * every returned TensorInfo and releases it with `disposeAll`.
 */
import * as tf from '@tensorflow/tfjs';

type Inputs = tf.NamedTensorInfoMap;
type Attrs = tf.NamedAttrMap;

const stock = new Map<string, tf.KernelFunc>();

/** Remember the wasm backend's own kernel before a custom one replaces it (first call wins). */
export function rememberStockKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  if (!stock.has(kernelName)) stock.set(kernelName, kernelFunc);
}

function single(name: string, out: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
  if (Array.isArray(out)) {
    if (out.length !== 1) throw new Error(`wasm kernels: ${name} returned ${out.length} tensors, expected 1`);
    return out[0];
  }
  return out;
}

/** Run whichever wasm kernel is registered under `kernelName` now (custom or stock). */
export function callWasm(
  backend: tf.KernelBackend,
  kernelName: string,
  inputs: Inputs,
  attrs: Attrs = {},
): tf.TensorInfo {
  const k = tf.getKernel(kernelName, 'wasm');
  if (k == null) throw new Error(`wasm kernels: no wasm kernel named ${kernelName} is registered`);
  return single(kernelName, k.kernelFunc({ inputs, attrs, backend }));
}

/** Run the wasm backend's original kernel for `kernelName` (the fallback of a custom kernel). */
export function callStock(
  backend: tf.KernelBackend,
  kernelName: string,
  inputs: Inputs,
  attrs: Attrs = {},
): tf.TensorInfo | tf.TensorInfo[] {
  const f = stock.get(kernelName);
  if (f == null) throw new Error(`wasm kernels: no stock wasm ${kernelName} kernel was recorded to fall back to`);
  return f({ inputs, attrs, backend });
}
