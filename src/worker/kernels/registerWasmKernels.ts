/**
 * Registers the project's wasm kernels (see wasmKernels.ts) in place of, or in addition to, the stock ones,
 * and installs the heap guard (heapGuard.ts) on the wasm backend.
 *
 * Works before or after `tf.setBackend('wasm')`: a replaced kernel keeps the stock kernel's setup (which
 * binds its wasm function and is needed by the fallbacks), and every registered kernel's setup installs the
 * heap guard when the engine initialises the backend. Calling it again is a no-op.
 */
import * as tf from '@tensorflow/tfjs';
import { rememberStockKernel } from './callKernel.js';
import { installHeapGuard } from './heapGuard.js';
import { wasmBackend } from './wasmBackend.js';
import { wasmKernels } from './wasmKernels.js';

export function registerWasmKernels(): void {
  for (const config of wasmKernels) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    const stockSetup = current?.setupFunc;
    if (current != null) {
      rememberStockKernel(config.kernelName, current.kernelFunc);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel({
      ...config,
      setupFunc: (backend): void => {
        stockSetup?.(backend);
        installHeapGuard(wasmBackend(backend));
      },
    });
  }
  if (tf.getBackend() === 'wasm') installHeapGuard(wasmBackend(tf.backend()));
}
