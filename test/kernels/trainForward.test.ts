import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { trainForward } from '../../src/worker/fastForward/index.js';
import { registerWasmKernels } from '../../src/worker/kernels/index.js';
import { buildModel } from '../../src/worker/models/index.js';
import { basicBlock, head, LayerFactory, stem } from '../../src/worker/models/layerFactory.js';
import { relErr, seeded } from './compare.js';

/**
 * Every layer kind of the ResNets (stem, identity and projection blocks, pool, dense) at a size cpu runs fast.
 * 'tiny-resnet-wide' has enough channels (16-32) for the SIMD igemm convolutions to take its 3x3 layers.
 */
function tinyResnet(shape: [number, number, number], widths = [4, 4, 6, 8]): tf.LayersModel {
  const f = new LayerFactory(5);
  const input = tf.input({ shape });
  let x = stem(f, input, widths[0]);
  x = basicBlock(f, x, 'b1', widths[1], 1);
  x = basicBlock(f, x, 'b2', widths[2], 2);
  x = basicBlock(f, x, 'b3', widths[3], 2);
  return tf.model({ inputs: input, outputs: head(f, x, 10) });
}

type Forward = (m: tf.LayersModel, x: tf.Tensor) => tf.Tensor;
const layersForward: Forward = (m, x) => m.apply(x, { training: true }) as tf.Tensor;

interface StepResult {
  loss: number;
  logits: Float32Array;
  grads: Float32Array[];
  buffers: Float32Array[];
}

/** One training step's loss, logits, gradients and the BatchNorm statistics after it. */
async function trainStep(
  backend: 'cpu' | 'wasm',
  model: string,
  batch: number,
  forward: Forward,
  inputNoise = 0,
): Promise<StepResult> {
  await tf.setBackend(backend);
  if (backend === 'wasm') registerWasmKernels();
  const tiny = model.startsWith('tiny-resnet');
  const shape: [number, number, number] = model === 'resnet20' ? [32, 32, 3] : tiny ? [9, 8, 2] : [28, 28, 1];
  const m = !tiny
    ? buildModel(model, { inputShape: shape, numClasses: 10, seed: 3 })
    : tinyResnet(shape, model === 'tiny-resnet-wide' ? [16, 16, 24, 32] : undefined);
  const size = batch * shape[0] * shape[1] * shape[2];
  const noise = seeded(size, 99);
  const x = tf.tensor4d(
    seeded(size, 21).map((v, i) => v + inputNoise * noise[i]),
    [batch, ...shape],
  );
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => (i * 7) % 10),
      'int32',
    ),
    10,
  );
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const tensorsBefore = tf.memory().numTensors;
  let logits: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    logits = tf.keep(forward(m, x));
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  }, vars);
  const result = {
    loss: value.dataSync()[0],
    logits: logits!.dataSync() as Float32Array,
    grads: vars.map((v) => grads[v.name].dataSync() as Float32Array),
    buffers: m.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array),
  };
  tf.dispose([value, logits!, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, tensorsBefore, `${model}: the step leaked tensors`);
  tf.dispose([x, labels]);
  m.dispose();
  return result;
}

/** Relative L2 distance of all gradients taken as one vector. */
function gradL2(a: StepResult, b: StepResult): number {
  let d = 0;
  let m = 0;
  a.grads.forEach((g, i) => {
    const h = b.grads[i];
    for (let j = 0; j < g.length; j++) {
      d += (g[j] - h[j]) ** 2;
      m += h[j] ** 2;
    }
  });
  return Math.sqrt(d / m);
}

function worst(a: StepResult, b: StepResult): { logits: number; grads: number; buffers: number } {
  return {
    logits: relErr(a.logits, b.logits),
    grads: Math.max(...a.grads.map((g, i) => relErr(g, b.grads[i]))),
    buffers: Math.max(0, ...a.buffers.map((v, i) => relErr(v, b.buffers[i]))),
  };
}

const reference = new Map<string, Promise<StepResult>>();
const memo = (backend: 'cpu' | 'wasm', model: string, batch: number): Promise<StepResult> => {
  const key = `${backend} ${model}`;
  if (!reference.has(key)) reference.set(key, trainStep(backend, model, batch, layersForward));
  return reference.get(key)!;
};

// Small models against tfjs-layers on the cpu backend (both forwards, then the whole wasm path).
const small: Array<[string, number]> = [
  ['tiny-resnet', 3],
  ['tiny-resnet-wide', 3],
  ['cnn', 2],
  ['mlp', 5],
];
for (const [model, batch] of small) {
  test(`trainForward gives model.apply's values, gradients and BatchNorm updates on cpu: ${model}`, async () => {
    const ref = await memo('cpu', model, batch);
    const got = await trainStep('cpu', model, batch, trainForward);
    const e = worst(got, ref);
    assert.ok(
      Math.abs(got.loss - ref.loss) < 1e-5 * Math.max(1, Math.abs(ref.loss)),
      `loss ${got.loss} vs ${ref.loss}`,
    );
    assert.ok(e.logits < 1e-5 && e.grads < 1e-4 && e.buffers < 1e-5, JSON.stringify(e));
  });
  test(`a wasm training step (custom kernels + trainForward) matches tfjs-layers on cpu: ${model}`, async () => {
    const ref = await memo('cpu', model, batch);
    const got = await trainStep('wasm', model, batch, trainForward);
    const e = worst(got, ref);
    assert.ok(e.logits < 1e-4 && e.grads < 2e-4 && e.buffers < 1e-4, JSON.stringify(e));
  });
}

// The real ResNets at a real batch: trainForward against model.apply, both on wasm (the cpu backend is too slow
// here; the convolution kernels themselves are checked against cpu at these shapes in conv2DGradients.test).
// Deep nets at initialisation are ill-conditioned in float32: adding 1e-7 noise to resnet20's input moves its
// gradient by ~3e-3 (relative L2; some single weights by 4e-2, through ReLU kinks), so gradients are compared as
// one vector against twice that measured sensitivity. Values and BatchNorm statistics are compared strictly.
const large: Array<[string, number]> = [
  ['resnet-mini', 16],
  ['resnet20', 8],
];
for (const [model, batch] of large) {
  test(`trainForward matches model.apply on wasm within float32 conditioning: ${model} batch ${batch}`, async () => {
    const ref = await memo('wasm', model, batch);
    const nudged = await trainStep('wasm', model, batch, layersForward, 1e-7);
    const got = await trainStep('wasm', model, batch, trainForward);
    const tol = Math.max(1e-5, 2 * gradL2(nudged, ref));
    const e = { ...worst(got, ref), gradL2: gradL2(got, ref) };
    assert.ok(e.logits < 1e-4 && e.buffers < 1e-4 && e.gradL2 < tol, `${JSON.stringify(e)}; gradient tolerance ${tol}`);
  });
}
