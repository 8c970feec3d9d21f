/**
 * A training-mode forward pass over a tfjs LayersModel that gives the same values, the same gradients (for the
 * model's own variables, under tf.variableGrads) and the same BatchNorm moving-statistics updates as
 * `model.apply(x, {training: true})`, but faster on wasm:
 * - BatchNormalization (channels last, center and scale) uses batchNormTrain's hand-written backward, with the
 *   ReLU that follows it fused in when that ReLU is its only reader (fused kernels on wasm); a residual Add and
 *   the ReLU after it likewise;
 * - GlobalAveragePooling2D uses a one-pass backward;
 * - Conv2D without activation uses the unfused conv2d, whose gradient computes dx only where it is needed
 *   (the fused op also computes the stem's unused input gradient); on webgpu its filter gradient is a batched
 *   matrix product (conv2dFilterGradMatmul.ts);
 * - every other layer runs its own `apply`.
 * A model it cannot walk (several inputs/outputs, shared layers) runs `model.apply` unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { addRelu } from './addRelu.js';
import { batchNormTrain } from './batchNormTrain.js';
import { conv2dFilterGradMatmul } from './conv2dFilterGradMatmul.js';
import { globalAvgPool } from './globalAvgPool.js';

type Run = (inputs: tf.Tensor[]) => tf.Tensor;
interface Step {
  inputs: number[];
  output: number;
  run: Run;
  layer: tf.layers.Layer;
}

function isRelu(layer: tf.layers.Layer): boolean {
  const cls = layer.getClassName();
  return (
    (cls === 'ReLU' && (layer.getConfig() as { maxValue?: number | null }).maxValue == null) ||
    (cls === 'Activation' && (layer.getConfig() as { activation?: string }).activation === 'relu')
  );
}

/**
 * A BatchNormalization or a two-input Add whose output only a ReLU reads runs with the ReLU fused in
 * (batchNormTrain's relu, addRelu), and the ReLU step passes its input on.
 */
function fuseBatchNormRelu(steps: Step[], modelOutput: number, o: TrainForwardOptions): void {
  const readers = new Map<number, Step[]>();
  for (const s of steps) for (const id of s.inputs) readers.set(id, [...(readers.get(id) ?? []), s]);
  for (const s of steps) {
    const r = readers.get(s.output);
    if (s.output === modelOutput || r?.length !== 1 || !isRelu(r[0].layer) || r[0].inputs.length !== 1) continue;
    let fused: Run | null = null;
    if (s.layer.getClassName() === 'BatchNormalization' && !o.inferenceLayers?.has(s.layer.name))
      fused = batchNormRun(s.layer, o, true);
    if (s.layer.getClassName() === 'Add' && s.inputs.length === 2) fused = ([a, b]) => addRelu(a, b);
    if (fused == null) continue;
    s.run = fused;
    r[0].run = ([x]) => x;
  }
}

function weight(layer: tf.layers.Layer, suffix: string): tf.LayerVariable | undefined {
  return layer.weights.find((w) => w.name.endsWith(`/${suffix}`) || w.name.split('/').pop()?.startsWith(`${suffix}_`));
}

/** tfjs-layers' moving-average update, verbatim: v <- v - (v - value) * (1 - momentum). */
function movingAverage(v: tf.LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const orig = v.read();
    v.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - momentum)));
  });
}

/** Options of trainForward. */
export interface TrainForwardOptions {
  /**
   * Update BatchNorm's moving variance with the unbiased batch variance (× n/(n−1), n the values per channel), as
   * PyTorch does, instead of the biased one tfjs-layers uses. Default false: exactly model.apply's updates.
   */
  unbiasedVariance?: boolean;
  /**
   * BatchNorm layers (by name) that run in inference mode: a frozen layer group's, whose statistics stay as they are
   * and whose output uses them (model.apply's behaviour for the layers the replica sets to inference mode).
   */
  inferenceLayers?: ReadonlySet<string>;
}

function batchNormRun(layer: tf.layers.Layer, o: TrainForwardOptions, relu = false): Run | null {
  const cfg = layer.getConfig() as {
    axis?: number | number[];
    momentum?: number;
    epsilon?: number;
    center?: boolean;
    scale?: boolean;
  };
  const gamma = weight(layer, 'gamma');
  const beta = weight(layer, 'beta');
  const mean = weight(layer, 'moving_mean');
  const variance = weight(layer, 'moving_variance');
  const axis = Array.isArray(cfg.axis) ? cfg.axis : [cfg.axis ?? -1];
  if (
    !cfg.center ||
    !cfg.scale ||
    gamma == null ||
    beta == null ||
    mean == null ||
    variance == null ||
    cfg.momentum == null ||
    cfg.epsilon == null ||
    axis.length !== 1
  ) {
    return null;
  }
  const { momentum, epsilon } = cfg;
  return ([x]) => {
    if (axis[0] !== -1 && axis[0] !== x.rank - 1) {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      return relu ? tf.relu(y) : y;
    }
    const n = x.size / x.shape[x.rank - 1];
    const r = batchNormTrain(x, gamma.read(), beta.read(), epsilon, relu, (batchMean, batchVariance) => {
      movingAverage(mean, batchMean, momentum);
      if (o.unbiasedVariance && n > 1) {
        tf.tidy(() => movingAverage(variance, tf.mul(batchVariance, n / (n - 1)), momentum));
      } else {
        movingAverage(variance, batchVariance, momentum);
      }
    });
    tf.dispose([r.mean, r.variance]);
    return r.y;
  };
}

function conv2dRun(layer: tf.layers.Layer): Run | null {
  const cfg = layer.getConfig() as {
    strides?: number | number[];
    padding?: string;
    dataFormat?: string;
    dilationRate?: number | number[];
    activation?: string;
    useBias?: boolean;
  };
  const kernel = weight(layer, 'kernel');
  const bias = cfg.useBias ? weight(layer, 'bias') : undefined;
  if (
    kernel == null ||
    (cfg.useBias && bias == null) ||
    cfg.dataFormat !== 'channelsLast' ||
    cfg.activation !== 'linear' ||
    (cfg.padding !== 'same' && cfg.padding !== 'valid')
  ) {
    return null;
  }
  const pair = (v: number | number[] | undefined): [number, number] =>
    Array.isArray(v) ? [v[0], v[v.length > 1 ? 1 : 0]] : [v ?? 1, v ?? 1];
  const strides = pair(cfg.strides);
  const dilations = pair(cfg.dilationRate);
  const padding = cfg.padding;
  const matmulFilterGrad = dilations[0] === 1 && dilations[1] === 1;
  return ([x]) => {
    // On a GPU (webgpu), the filter gradient as matrix products (conv2dFilterGradMatmul.ts); wasm has its own kernel.
    const y =
      matmulFilterGrad && tf.getBackend() === 'webgpu'
        ? conv2dFilterGradMatmul(x as tf.Tensor4D, kernel.read() as tf.Tensor4D, strides, padding)
        : tf.conv2d(x as tf.Tensor4D, kernel.read() as tf.Tensor4D, strides, padding, 'NHWC', dilations);
    return bias ? tf.add(y, bias.read()) : y;
  };
}

function stepRun(layer: tf.layers.Layer, o: TrainForwardOptions): Run {
  const cls = layer.getClassName();
  let run: Run | null = null;
  if (cls === 'BatchNormalization') {
    run = o.inferenceLayers?.has(layer.name)
      ? ([x]) => layer.apply(x, { training: false }) as tf.Tensor
      : batchNormRun(layer, o);
  }
  if (cls === 'Conv2D') run = conv2dRun(layer);
  if (
    cls === 'GlobalAveragePooling2D' &&
    (layer.getConfig() as { dataFormat?: string }).dataFormat === 'channelsLast'
  ) {
    run = ([x]) => (x.rank === 4 ? globalAvgPool(x as tf.Tensor4D) : (layer.apply(x, { training: true }) as tf.Tensor));
  }
  return run ?? ((inputs) => layer.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tf.Tensor);
}

const plans = new WeakMap<tf.LayersModel, Map<string, Step[] | null>>();
const planKeys = new WeakMap<TrainForwardOptions, string>();

/** What a plan depends on in the options, as a string (cached: trainForward runs every step). */
function planKey(o: TrainForwardOptions): string {
  let key = planKeys.get(o);
  if (key === undefined) {
    key = `${o.unbiasedVariance ?? false}|${[...(o.inferenceLayers ?? [])].sort().join(',')}`;
    planKeys.set(o, key);
  }
  return key;
}

function plan(model: tf.LayersModel, o: TrainForwardOptions): Step[] | null {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  const steps: Step[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (layer.inboundNodes.length !== 1) return null;
    const node = layer.inboundNodes[0];
    if (node.outputTensors.length !== 1) return null;
    steps.push({
      inputs: node.inputTensors.map((t) => t.id),
      output: node.outputTensors[0].id,
      run: stepRun(layer, o),
      layer,
    });
  }
  fuseBatchNormRelu(steps, model.outputs[0].id, o);
  return steps;
}

/** `model.apply(x, {training: true})`, faster on wasm (see the file comment). */
export function trainForward(model: tf.LayersModel, x: tf.Tensor, o: TrainForwardOptions = {}): tf.Tensor {
  // One plan per model and options (the options are fixed for a replica's life); the key is made once per options object.
  const key = planKey(o);
  let byMode = plans.get(model);
  if (byMode === undefined) plans.set(model, (byMode = new Map()));
  let steps = byMode.get(key);
  if (steps === undefined) {
    steps = plan(model, o);
    byMode.set(key, steps);
  }
  if (steps == null) return model.apply(x, { training: true }) as tf.Tensor;
  const values = new Map<number, tf.Tensor>([[model.inputs[0].id, x]]);
  for (const s of steps) {
    const inputs = s.inputs.map((id) => {
      const v = values.get(id);
      if (v == null) throw new Error(`trainForward: layer input ${id} of model ${model.name} was not computed`);
      return v;
    });
    values.set(s.output, s.run(inputs));
  }
  const out = values.get(model.outputs[0].id);
  if (out == null) throw new Error(`trainForward: model ${model.name}'s output was not computed`);
  return out;
}
