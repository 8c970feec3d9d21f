/**
 * Per-layer speed of the convolution kernels at resnet-mini's shapes (batch 128) on wasm: forward Conv2D,
 * Conv2DBackpropInput and Conv2DBackpropFilter, GFLOP/s from the median of 5 runs. dy is re-created for every
 * run, so no XNNPACK operator cache (keyed by tensor id) flatters a kernel.
 * Usage: node dist/bench/computeKernels.js [layer-name-filter]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {registerWasmKernels} from '../src/worker/kernels/index.js';
import {median} from './computeSetup.js';

const LAYERS: Array<[string, number, number, number, number, number]> = [
  ['stem 28x28 1->32', 28, 1, 32, 3, 1],
  ['28x28 32->32', 28, 32, 32, 3, 1],
  ['28->14 32->64 s2', 28, 32, 64, 3, 2],
  ['28->14 1x1 s2', 28, 32, 64, 1, 2],
  ['14x14 64->64', 14, 64, 64, 3, 1],
  ['14->7 64->128 s2', 14, 64, 128, 3, 2],
  ['14->7 1x1 s2', 14, 64, 128, 1, 2],
  ['7x7 128->128', 7, 128, 128, 3, 1],
];

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  registerWasmKernels();
  const only = process.argv[2];
  const be = tf.backend();
  for (const [name, size, ci, co, k, s] of LAYERS) {
    if (only && !name.includes(only)) continue;
    const b = 128;
    const x = tf.randomNormal([b, size, size, ci]);
    const w = tf.randomNormal([k, k, ci, co]);
    const yShape = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, 'same').shape;
    const gflop = (2 * b * yShape[1] * yShape[2] * k * k * ci * co) / 1e9;
    const attrs = {strides: [s, s], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined,
      filterShape: w.shape, inputShape: x.shape};
    const time = (f: (dy: tf.Tensor) => tf.TensorInfo | tf.Tensor): number => {
      const t: number[] = [];
      for (let i = 0; i < 6; i++) {
        const dy = tf.randomNormal(yShape);
        const t0 = performance.now();
        const out = f(dy);
        const ms = performance.now() - t0;
        if (out instanceof tf.Tensor) out.dispose();
        else be.disposeData(out.dataId);
        dy.dispose();
        if (i > 0) t.push(ms);
      }
      return median(t);
    };
    const kernel = (kn: string, inputs: tf.NamedTensorInfoMap) => () =>
      tf.getKernel(kn, 'wasm')!.kernelFunc({inputs, backend: be, attrs: attrs as unknown as tf.NamedAttrMap}) as tf.TensorInfo;
    const fwd = time(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, 'same'));
    const bi = time((dy) => kernel('Conv2DBackpropInput', {dy, filter: w})());
    const bf = time((dy) => kernel('Conv2DBackpropFilter', {x, dy})());
    const fmt = (ms: number): string => `${ms.toFixed(1).padStart(6)} ms ${(gflop / ms * 1e3).toFixed(1).padStart(5)} GF/s`;
    console.log(`${name.padEnd(20)} ${gflop.toFixed(2)} GFLOP | fwd ${fmt(fwd)} | dx ${fmt(bi)} | dW ${fmt(bf)}`);
    tf.dispose([x, w]);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
