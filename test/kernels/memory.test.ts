import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels, WasmHeapExhaustedError, wasmKernels } from '../../src/worker/kernels/index.js';
import { installHeapGuard } from '../../src/worker/kernels/heapGuard.js';
import type { WasmBackend } from '../../src/worker/kernels/wasmBackend.js';
import { seededTensor } from './compare.js';

async function wasm(): Promise<tf.KernelBackend> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmKernels();
  return tf.backend();
}

test('registerWasmKernels is idempotent and installs every kernel of the list', async () => {
  await wasm();
  registerWasmKernels();
  for (const k of wasmKernels) {
    assert.equal(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc, k.kernelFunc, `${k.kernelName} is not ours`);
  }
});

test('conv gradients leak no tensors, no backend data and no heap across repeated calls', async () => {
  const backend = await wasm();
  const heapBytes = (): number => (backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const x = seededTensor([16, 28, 28, 32], 1) as tf.Tensor4D;
  const w = seededTensor([3, 3, 32, 64], 2) as tf.Tensor4D;
  const dy = seededTensor([16, 14, 14, 64], 3);
  const step = (): void => {
    const [dx, dw] = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), dy)),
    )([x, w]);
    dx.dataSync();
    dw.dataSync();
    tf.dispose([dx, dw]);
  };
  for (let i = 0; i < 3; i++) step();
  const tensors = tf.memory().numTensors;
  const dataIds = backend.numDataIds();
  const heap = heapBytes();
  for (let i = 0; i < 25; i++) step();
  assert.equal(tf.memory().numTensors, tensors, 'engine tensors leaked');
  assert.equal(backend.numDataIds(), dataIds, 'wasm backend data ids leaked (kernel-internal tensors or views)');
  assert.equal(heapBytes(), heap, 'wasm heap grew across identical calls');
  tf.dispose([x, w, dy]);
});

test('an allocation beyond the ~4 GB wasm heap cap throws a clear error instead of wrapping around', async () => {
  await wasm();
  tf.tidy(() => tf.add(tf.ones([1000]), 1).dataSync()); // the guard must survive the first real allocations
  const before = tf.memory().numTensors;
  assert.throws(
    () => tf.fill([1_200_000_000], 0, 'float32'),
    (e: unknown) => e instanceof WasmHeapExhaustedError && /cannot allocate 4577\.6 MiB/.test(e.message),
  );
  assert.equal(tf.memory().numTensors, before);
});

test('the heap guard turns a null malloc into WasmHeapExhaustedError', () => {
  const fake = {
    module: {
      HEAPU8: new Uint8Array(16),
      _malloc: (n: number): number => (n === 16 ? 8 : 0),
      _free: (): void => undefined,
      tfjs: { disposeData: (): void => undefined, registerTensor: (): void => undefined },
    },
  } as unknown as WasmBackend;
  installHeapGuard(fake);
  assert.throws(
    () => fake.module._malloc(1024),
    (e: unknown) => e instanceof WasmHeapExhaustedError && /malloc returned null/.test(e.message),
  );
});

test('the heap guard refuses blocks ending in the reserve below the cap and frees them', () => {
  const freed: number[] = [];
  const fake = {
    module: {
      HEAPU8: new Uint8Array(16),
      _malloc: (n: number): number => (n === 16 ? 8 : 4294901760 - 1024 * 1024),
      _free: (p: number): void => void (p !== 8 && freed.push(p)),
      tfjs: { disposeData: (): void => undefined, registerTensor: (): void => undefined },
    },
  } as unknown as WasmBackend;
  installHeapGuard(fake);
  assert.throws(() => fake.module._malloc(4096), /within 64 MiB of the cap/);
  assert.deepEqual(freed, [4294901760 - 1024 * 1024]);
});

test('registering before the wasm backend is initialised keeps the stock fallbacks working', async () => {
  // This file's backend is already initialised; the order matters in a fresh thread, so check it in one.
  const { Worker } = await import('node:worker_threads');
  const script = `
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    const {registerWasmKernels} = await import(${JSON.stringify(new URL('../../src/worker/kernels/index.js', import.meta.url).href)});
    registerWasmKernels();
    await tf.setBackend('wasm');
    const x = tf.ones([2, 5, 5, 3]);
    const w = tf.ones([3, 3, 3, 4]);
    const [dx, dw] = tf.grads((a, f) => tf.sum(tf.conv2d(a, f, 1, 'same')))([x, w]);
    const stockSum = tf.sum(x, 1).dataSync()[0]; // axis 1 alone: our Sum falls back to the stock kernel
    let heapError = '';
    try { tf.fill([1200000000], 0, 'float32'); } catch (e) { heapError = e.name; }
    (await import('node:worker_threads')).parentPort.postMessage({dx: dx.dataSync()[36], dw: dw.dataSync()[0], stockSum, heapError});`;
  const result = await new Promise<{ dx: number; dw: number; stockSum: number; heapError: string }>(
    (resolve, reject) => {
      const w = new Worker(`(async () => {${script}})().catch((e) => { throw e; });`, { eval: true });
      w.once('message', resolve);
      w.once('error', reject);
    },
  );
  // centre pixel: 9 taps x 4 filters; dW[0,0,0,0]: 4x4 positions of each 5x5 image x 2 images; 5 rows of ones
  assert.deepEqual(result, { dx: 36, dw: 32, stockSum: 5, heapError: 'WasmHeapExhaustedError' });
});
