/**
 * Tile for the wasm backend. The stock kernel runs ~0.05 GB/s, and tfjs' BatchNorm gradient tiles a [1,1,1,C]
 * tensor to the activation's size (~1.2 s a resnet-mini step). A Tile that only repeats size-1 axes is a
 * broadcast: doubling heap copies when the repeated axes lead, a broadcasting Add onto zeros otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import { leadingRepeats, repeatBlock } from './broadcastTo_impl.js';
import { callStock, callWasm } from './callKernel.js';
import { allocF32, disposeAll, heapF32, offsetF32 } from './heap.js';
import { wasmBackend } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

function tile(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: be, attrs } = args;
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  const { reps } = attrs as unknown as tf.TileAttrs;
  const broadcast = reps.length === x.shape.length && reps.every((r, i) => r === 1 || x.shape[i] === 1);
  if (x.dtype !== 'float32' || !broadcast) return callStock(be, 'Tile', inputs, attrs);
  const wb = wasmBackend(be);
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const repeats = leadingRepeats(x.shape, outShape);
  if (repeats != null) {
    const out = allocF32(wb, outShape);
    repeatBlock(heapF32(wb), offsetF32(wb, x), offsetF32(wb, out), tf.util.sizeFromShape(x.shape), repeats);
    return out;
  }
  const zeros = callWasm(be, 'Fill', {}, { shape: outShape, value: 0, dtype: 'float32' });
  const out = callWasm(be, 'Add', { a: zeros, b: x });
  disposeAll(wb, zeros);
  return out;
}

export const tileConfig = wasmKernel(tf.Tile, tile);
