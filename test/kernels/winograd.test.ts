/**
 * The Winograd F(2x2,3x3) and F(4x4,3x3) convolutions (conv2DWinograd.ts) against the stock kernels: forward and
 * input gradient against the stock wasm ones (XNNPACK's Conv2D, the backend's Conv2DBackpropInput), the filter
 * gradient against the cpu backend's (wasm has none), over a table of 3x3 stride-1 shapes (odd sizes 5, 7, 13,
 * batch 1, C != K, 'same' and 'valid'), both SIMD flavours of the GEMM, bitwise the same when run again; and which
 * convolutions Winograd can take. The registered kernels' routing to it is checked through tf.grads against the
 * cpu backend in conv2DGradients.test.ts (resnet-mini's 3x3 stride-1 layers) and trainForward.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { callStock } from '../../src/worker/kernels/callKernel.js';
import {
  backpropFilterWinograd,
  backpropInputWinograd,
  conv2DWinograd,
  winogradFits,
} from '../../src/worker/kernels/conv2DWinograd.js';
import { WINOGRAD_TILES, type WinogradTile } from '../../src/worker/kernels/simd/winogradWat.js';
import { relErr, seededTensor, simdFlavours, wasmWithKernels } from './compare.js';

/**
 * Relative to the largest output, for sums of up to 9*128 products of values in [-0.5, 0.5). F(2x2,3x3)'s
 * coefficients (0, +-1, +-0.5) add a few roundings per output: the direct kernels' bound (1e-5) holds with room
 * (measured <= 1.1e-6). F(4x4,3x3)'s (up to 8, and 1/6, 1/12, 1/24, not exact in float32) round about 10x more:
 * measured <= 8.3e-6, so 2e-5 (the bound of the gradient tests against the cpu backend, conv2DGradients.test.ts).
 */
const TOL: Record<WinogradTile, number> = { 2: 1e-5, 4: 2e-5 };

function values(t: tf.TensorInfo): Float32Array {
  return tf.engine().makeTensorFromTensorInfo(t).dataSync() as Float32Array;
}

const SHAPES: Array<[name: string, x: [number, number, number, number], co: number, pad: 'same' | 'valid']> = [
  ['resnet-mini 28x28 32->32 (batch 2)', [2, 28, 28, 32], 32, 'same'],
  ['resnet-mini 7x7 128->128 (batch 1)', [1, 7, 7, 128], 128, 'same'],
  ['odd 5x5, 4->8, batch 1', [1, 5, 5, 4], 8, 'same'],
  ['odd 13x13, 12->20', [2, 13, 13, 12], 20, 'same'],
  ['7x9 valid, 8->4', [1, 7, 9, 8], 4, 'valid'],
  ['6x6 valid (even output), 4->12', [3, 6, 6, 4], 12, 'valid'],
  ['1x1 image, 4->4', [1, 1, 1, 4], 4, 'same'],
];

for (const [name, xShape, co, pad] of SHAPES) {
  test(`Winograd Conv2D and its input gradient equal the stock wasm kernels: ${name}`, async () => {
    const wb = await wasmWithKernels();
    const fShape: [number, number, number, number] = [3, 3, xShape[3], co];
    const info = tf.backend_util.computeConv2DInfo(xShape, fShape, 1, 1, pad, undefined, false, 'channelsLast');
    assert.ok(winogradFits(info));
    const x = seededTensor(xShape, 21);
    const w = seededTensor(fShape, 22);
    const dy = seededTensor([xShape[0], info.outHeight, info.outWidth, co], 23);
    const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
    const be = tf.backend();
    const refY = callStock(be, 'Conv2D', { x, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.TensorInfo;
    const refDx = callStock(be, 'Conv2DBackpropInput', { dy, filter: w }, {
      ...attrs,
      inputShape: xShape,
    } as unknown as tf.NamedAttrMap) as tf.TensorInfo;
    const refYv = values(refY);
    const refDxv = values(refDx);
    for (const [tile, flavour] of WINOGRAD_TILES.flatMap((t) => simdFlavours().map((f) => [t, f] as const))) {
      const ys = [0, 1].map(() => conv2DWinograd(wb, x, w, info, tile, flavour));
      const dxs = [0, 1].map(() => backpropInputWinograd(wb, dy, w, info, tile, flavour));
      assert.deepEqual(ys[0].shape, refY.shape);
      assert.deepEqual(dxs[0].shape, xShape);
      const [y0, y1] = ys.map(values);
      const [dx0, dx1] = dxs.map(values);
      const errY = relErr(y0, refYv);
      const errDx = relErr(dx0, refDxv);
      assert.ok(
        errY < TOL[tile],
        `F(${tile}x${tile}) ${flavour} forward: relative error ${errY.toExponential(2)} >= ${TOL[tile]}`,
      );
      assert.ok(
        errDx < TOL[tile],
        `F(${tile}x${tile}) ${flavour} input gradient: relative error ${errDx.toExponential(2)} >= ${TOL[tile]}`,
      );
      assert.deepEqual(y1, y0, `F(${tile}x${tile}) ${flavour} forward: not bitwise repeatable`);
      assert.deepEqual(dx1, dx0, `F(${tile}x${tile}) ${flavour} input gradient: not bitwise repeatable`);
    }
    tf.dispose([x, w, dy]);
  });
}

for (const [name, xShape, co, pad] of SHAPES) {
  test(`Winograd Conv2DBackpropFilter equals the cpu backend's: ${name}`, async () => {
    const fShape: [number, number, number, number] = [3, 3, xShape[3], co];
    const info = tf.backend_util.computeConv2DInfo(xShape, fShape, 1, 1, pad, undefined, false, 'channelsLast');
    const dyShape = [xShape[0], info.outHeight, info.outWidth, co];
    const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: fShape };
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => {
      const x = seededTensor(xShape, 31);
      const dy = seededTensor(dyShape, 32);
      return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    });
    const refValues = ref.dataSync() as Float32Array;
    ref.dispose();
    const wb = await wasmWithKernels();
    const x = seededTensor(xShape, 31);
    const dy = seededTensor(dyShape, 32);
    for (const [tile, flavour] of WINOGRAD_TILES.flatMap((t) => simdFlavours().map((f) => [t, f] as const))) {
      const [d0, d1] = [0, 1].map(() => values(backpropFilterWinograd(wb, x, dy, info, tile, flavour)));
      const err = relErr(d0, refValues);
      assert.ok(
        err < TOL[tile],
        `F(${tile}x${tile}) ${flavour}: relative error ${err.toExponential(2)} >= ${TOL[tile]}`,
      );
      assert.deepEqual(d1, d0, `F(${tile}x${tile}) ${flavour}: not bitwise repeatable`);
    }
    tf.dispose([x, dy]);
  });
}

test('Winograd takes only 3x3 stride-1 undilated convolutions with channels in whole vectors', () => {
  const fits = (x: number[], f: number[], stride: number, dilation = 1): boolean =>
    winogradFits(
      tf.backend_util.computeConv2DInfo(
        x as [number, number, number, number],
        f as [number, number, number, number],
        stride,
        dilation,
        'same',
        undefined,
        false,
        'channelsLast',
      ),
    );
  assert.equal(fits([1, 8, 8, 8], [3, 3, 8, 8], 1), true);
  assert.equal(fits([1, 8, 8, 8], [3, 3, 8, 8], 2), false);
  assert.equal(fits([1, 8, 8, 8], [3, 3, 8, 8], 1, 2), false);
  assert.equal(fits([1, 8, 8, 8], [1, 1, 8, 8], 1), false);
  assert.equal(fits([1, 8, 8, 6], [3, 3, 6, 8], 1), false);
  assert.equal(fits([1, 8, 8, 8], [3, 3, 8, 10], 1), false);
});
