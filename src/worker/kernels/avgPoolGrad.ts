/**
 * AvgPoolGrad for the wasm backend: a global pool (window = whole image, one output per channel) spreads
 * dy/(H*W) over the image by doubling heap copies per image (stock: ~33 ms at [128,7,7,128]); other pools go
 * to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { repeatBlock } from './broadcastTo_impl.js';
import { callStock } from './callKernel.js';
import { allocF32, heapF32, offsetF32 } from './heap.js';
import { wasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

function avgPoolGrad(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as unknown as tf.AvgPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
  );
  const [batch, h, w, c] = input.shape;
  const global =
    info.outHeight === 1 &&
    info.outWidth === 1 &&
    info.filterHeight === h &&
    info.filterWidth === w &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.padInfo.bottom === 0 &&
    info.padInfo.right === 0;
  if (!global || dy.dtype !== 'float32') return callStock(be, 'AvgPoolGrad', inputs, attrs);
  const wb = wasmBackend(be);
  const out = allocF32(wb, input.shape);
  const heap = heapF32(wb);
  const dyo = offsetF32(wb, dy);
  const oo = offsetF32(wb, out);
  const inv = 1 / (h * w);
  const plane = h * w * c;
  for (let b = 0; b < batch; b++) {
    const dst = oo + b * plane;
    for (let k = 0; k < c; k++) heap[dst + k] = heap[dyo + b * c + k] * inv;
    repeatBlock(heap, dst, dst, c, h * w);
  }
  return out;
}

export const avgPoolGradConfig = wasmKernel(tf.AvgPoolGrad, avgPoolGrad);
