/**
 * Identity for the wasm backend without a copy (the stock kernel copies the whole tensor; tfjs' gradient and
 * customGrad machinery calls it hundreds of times a step). Tensor data is immutable, so sharing it with a
 * reference count, as the cpu backend does, is safe.
 */
import * as tf from '@tensorflow/tfjs';
import { callStock } from './callKernel.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

function identity(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  if (x.dtype === 'string') return callStock(be, 'Identity', inputs, attrs);
  be.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig = wasmKernel(tf.Identity, identity);
