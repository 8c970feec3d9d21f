/**
 * Cast for the wasm backend: a cast to the tensor's own dtype shares the data (the stock kernel copies it;
 * tfjs' ReLU gradient casts float32 to float32 on every call). A cast to bool is x != 0 (the stock kernel
 * truncates: 2.5 became 2). Other casts go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { callStock } from './callKernel.js';
import { wasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

function cast(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  const { dtype } = attrs as unknown as tf.CastAttrs;
  if (dtype === 'bool' && x.dtype !== 'string' && x.dtype !== 'bool' && x.dtype !== 'complex64') {
    const { raw } = wasmBackend(be);
    const out = raw.makeOutput(x.shape, 'bool');
    const src = raw.typedArrayFromHeap(x); // after the allocation: heap views go stale when memory grows
    const dst = raw.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  if (dtype !== x.dtype || dtype === 'string') return callStock(be, 'Cast', inputs, attrs);
  be.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype };
}

export const castConfig = wasmKernel(tf.Cast, cast);
