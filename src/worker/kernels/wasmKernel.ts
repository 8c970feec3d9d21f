/**
 * A custom wasm kernel's config, written once: tfjs types a kernel function's backend as `{}` and its attrs as
 * optional, so every kernel here takes `KernelArgs` (the wasm backend and attrs always given) and is registered as
 * `wasmKernel(name, fn)`.
 */
import type * as tf from '@tensorflow/tfjs';

/** What tfjs hands a kernel function on the wasm backend. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}

export function wasmKernel(
  kernelName: string,
  kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
