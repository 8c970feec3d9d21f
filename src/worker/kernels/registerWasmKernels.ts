/**
 * Registers the project's wasm kernels (see wasmKernels.ts) in place of, or in addition to, the stock ones,
 * and installs the heap guard. Call it in every thread after `await tf.setBackend('wasm')`; calling it
 * again is a no-op.
 */
import * as tf from '@tensorflow/tfjs';
import {rememberStockKernel} from './callKernel.js';
import {installHeapGuard} from './heapGuard.js';
import {wasmBackend} from './wasmBackend.js';
import {wasmKernels} from './wasmKernels.js';

export function registerWasmKernels(): void {
  const backend = tf.findBackend('wasm');
  if (backend == null) {
    throw new Error('registerWasmKernels: the wasm backend is not initialised; call it after ' +
      "`await tf.setBackend('wasm')` (and import '@tensorflow/tfjs-backend-wasm')");
  }
  installHeapGuard(wasmBackend(backend));
  for (const config of wasmKernels) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) {
      rememberStockKernel(config.kernelName, current.kernelFunc);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
}
