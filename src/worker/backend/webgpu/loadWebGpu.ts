/**
 * The `webgpu` tfjs backend on a device this process chose (createWebGpuDevice), with tfjs-backend-webgpu's flags
 * set for training; releaseWebGpu gives the device back at shutdown.
 */
import * as tf from '@tensorflow/tfjs';
import type { AdapterInfo } from '../../../shared/gpu/index.js';
import { createWebGpuDevice, type WebGpuDevice } from './createWebGpuDevice.js';

/**
 * tfjs-backend-webgpu's flags, set on purpose:
 * - WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: command buffers are submitted every N dispatches (default 15); a training
 *   step is a few hundred dispatches ending in one read, so a larger batch means fewer submits.
 * - WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL: -1 lets tfjs size it from the adapter (its default);
 *   a fixed count would suit one GPU and not the next.
 * - WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE: tfjs's default (true) runs the conv input gradient as one thread per input
 *   value; false uses its tiled matmul-like program, the faster one on a GPU.
 */
const WEBGPU_FLAGS = {
  WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: 64,
  WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL: -1,
  WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE: false,
} as const;

let current: WebGpuDevice | undefined;

/**
 * Registers tfjs's `webgpu` backend on this process's adapter (once; later calls reuse it) and returns the adapter.
 * `allowSoftware: false` refuses software adapters (auto: they are slower than wasm).
 */
export async function loadWebGpu(opts: { allowSoftware: boolean }): Promise<AdapterInfo> {
  if (current) {
    if (current.info.software && !opts.allowSoftware)
      throw new Error(`only a software adapter: ${current.info.device}`);
    return current.info;
  }
  const dev = await createWebGpuDevice(opts);
  // Imported after the globals are in place; with no navigator.gpu it registers its kernels but not its own backend.
  const { WebGPUBackend } = (await import('@tensorflow/tfjs-backend-webgpu' as string)) as {
    WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;
  };
  for (const [flag, value] of Object.entries(WEBGPU_FLAGS)) tf.env().set(flag, value);
  // The backend's constructor checks navigator.gpu (absent in Node 20; Node 21+ has a navigator without gpu).
  const g = globalThis as { navigator?: { gpu?: unknown } };
  g.navigator ??= {};
  g.navigator.gpu = dev.gpu;
  tf.registerBackend('webgpu', () => new WebGPUBackend(dev.device, dev.adapter.info), 0);
  current = dev;
  return dev.info;
}

/** Disposes the backend and destroys the device, so the process can exit. */
export function releaseWebGpu(): void {
  if (!current) return;
  if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
  current.device.destroy();
  // A live create() object keeps Dawn's instance, and may keep the process, alive.
  delete (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  current = undefined;
}
