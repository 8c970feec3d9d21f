import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { sgdStep, type WeightDecayMode } from '../optimizer/index.js';
import type { StepHyperparameters } from '../../shared/schedule/index.js';
import { layoutDifference, type TensorLayout } from '../../shared/tensorLayout/index.js';

/** One batch (or shard of one) as the worker hands it to the replica: NHWC float32 inputs and integer labels. */
export interface TensorBatch {
  x: Float32Array;
  labels: Int32Array;
  /** [count, height, width, channels]. */
  shape: [number, number, number, number];
}

export interface BatchResult {
  /** Sum of per-example softmax cross-entropies over the batch. */
  lossSum: number;
  count: number;
  correct: number;
}

/** The replica's full state, as flat float32 buffers (what checkpoints and lr_find's restore hold). */
export interface ReplicaState {
  weights: Float32Array;
  /** Laid out as the weights. */
  momentum: Float32Array;
  buffers: Float32Array;
  /** What `weights` and `buffers` hold, in order; getState fills them, setState checks them when given. */
  weightTensors?: TensorLayout;
  bufferTensors?: TensorLayout;
}

/** A forward pass in training mode; replaceable by a faster implementation that gives the same gradients. */
export type TrainForward = (model: tf.LayersModel, x: tf.Tensor4D) => tf.Tensor;
const layersTrainForward: TrainForward = (model, x) => model.apply(x, { training: true }) as tf.Tensor;

/** The model's layer groups (consecutive layers, by name, in model order) and how many of them are frozen. */
export interface ReplicaGroups {
  groups: readonly { layers: readonly string[] }[];
  /** Groups before this index are frozen. */
  freezeTo: number;
}

/**
 * A model replica and its optimizer state. The trainable weights live in one flat Float32Array (the source of
 * truth the SGD update writes), mirrored into the model's variables after every update, laid out group by group
 * (each layer group's weights contiguous, in model order). Gradients come out as one flat buffer over the unfrozen
 * groups only (the tail of that layout), ready for the allreduce.
 *
 * Every read of a tensor is asynchronous (`await data()`): a GPU backend (webgpu) cannot read synchronously in
 * Node, and on wasm and cpu the await costs nothing measurable. Hence `Replica.create` rather than a constructor.
 *
 * Frozen groups (before `freezeTo`): their variables are left out of the gradient tape (tfjs then skips the backward
 * pass through them, as they come first) and out of the update, and their BatchNorm layers run in inference mode in
 * the training forward (normalising with, and leaving unchanged, their moving statistics), as fastai 0.7 puts
 * non-trainable BatchNorm layers in eval mode: a frozen body then computes the same features in training and
 * evaluation.
 */
export class Replica {
  readonly weights: Float32Array;
  readonly momentum: Float32Array;
  private readonly vars: tf.LayerVariable[];
  private readonly bufferVars: tf.LayerVariable[];
  private readonly offsets: number[];
  /** [start, end) of each layer group in the flat layout. */
  private readonly groupRanges: { start: number; end: number }[];
  private readonly freezeTo: number;
  /** First value of the unfrozen groups in the flat layout; the gradient buffer covers [frozenEnd, weights.length). */
  private readonly frozenEnd: number;
  /** Variables of the unfrozen groups (a suffix of `vars`). */
  private readonly trainVars: tf.LayerVariable[];

  /** A replica of `model`, its flat weights read from the model's variables. */
  static async create(model: tf.LayersModel, trainForward?: TrainForward, layout?: ReplicaGroups): Promise<Replica> {
    const r = new Replica(model, trainForward, layout);
    const values = await Promise.all(r.vars.map((v) => v.read().data() as Promise<Float32Array>));
    values.forEach((vals, i) => r.weights.set(vals, r.offsets[i]));
    return r;
  }

  private constructor(
    readonly model: tf.LayersModel,
    private readonly trainForward: TrainForward = layersTrainForward,
    layout: ReplicaGroups = { groups: [{ layers: model.layers.map((l) => l.name) }], freezeTo: 0 },
  ) {
    const groupOf = groupOfVariables(model, layout.groups);
    const n = layout.groups.length;
    if (!Number.isInteger(layout.freezeTo) || layout.freezeTo < 0 || layout.freezeTo >= n) {
      throw new RangeError(`replica: freezeTo ${layout.freezeTo} must leave one of the ${n} layer groups to train`);
    }
    this.freezeTo = layout.freezeTo;
    // Stable sort by group: the model's own order already is for consecutive groups; this makes it so regardless.
    this.vars = model.trainableWeights
      .map((v, i) => ({ v, i, g: groupOf.get(v)! }))
      .sort((a, b) => a.g - b.g || a.i - b.i)
      .map((e) => e.v);
    this.bufferVars = model.nonTrainableWeights;
    this.offsets = [];
    const groupSizes = new Array<number>(n).fill(0);
    let total = 0;
    for (const v of this.vars) {
      this.offsets.push(total);
      total += sizeOf(v.shape);
      groupSizes[groupOf.get(v)!] += sizeOf(v.shape);
    }
    let at = 0;
    this.groupRanges = groupSizes.map((size) => ({ start: at, end: (at += size) }));
    this.frozenEnd = this.groupRanges[this.freezeTo].start;
    this.trainVars = this.vars.filter((v) => groupOf.get(v)! >= this.freezeTo);
    this.weights = new Float32Array(total);
    this.momentum = new Float32Array(total);
    const frozenLayers = new Set(layout.groups.slice(0, this.freezeTo).flatMap((grp) => grp.layers));
    for (const layer of model.layers) {
      if (frozenLayers.has(layer.name) && layer.getClassName() === 'BatchNormalization') runInInferenceMode(layer);
    }
  }

  get parameterCount(): number {
    return this.weights.length;
  }

  /** Values the gradients (and the allreduce) cover: those of the unfrozen groups. */
  get trainableCount(): number {
    return this.weights.length - this.frozenEnd;
  }

  get groupCount(): number {
    return this.groupRanges.length;
  }

  /**
   * Forward and backward on a shard of the global batch. The loss is the shard's summed cross-entropy divided by
   * the GLOBAL batch size, so that summing the workers' gradients gives the gradient of the global mean loss.
   */
  async computeGradients(
    batch: TensorBatch,
    globalBatchSize: number,
  ): Promise<BatchResult & { gradients: Float32Array }> {
    const gradients = new Float32Array(this.trainableCount);
    // A rank without examples in an epoch's last partial batch (fewer examples than ranks) adds nothing to the sum.
    if (batch.labels.length === 0) return { lossSum: 0, count: 0, correct: 0, gradients };
    // The step's tensors are built in a tidy and kept (a tidy cannot await), read together, then disposed.
    const out = tf.tidy(() => {
      const x = tf.tensor4d(batch.x, batch.shape);
      const labels = tf.tensor1d(batch.labels, 'int32');
      let logits: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        logits = tf.keep(this.trainForward(this.model, x));
        return crossEntropySum(logits, labels).div(globalBatchSize) as tf.Scalar;
      }, this.trainVars.map(variableOf));
      const correct = countCorrect(logits!, labels);
      logits!.dispose(); // kept out of variableGrads' scope, so the outer tidy does not own it
      const ordered = this.trainVars.map((v) => {
        const g = grads[variableOf(v).name];
        if (!g) throw new Error(`replica: no gradient for ${v.name}`);
        return g;
      });
      return { value, correct, grads: ordered };
    });
    try {
      const [loss, correct, ...grads] = await Promise.all([out.value, out.correct, ...out.grads].map((t) => t.data()));
      const first = this.vars.length - this.trainVars.length;
      grads.forEach((g, i) => gradients.set(g as Float32Array, this.offsets[first + i] - this.frozenEnd));
      return { lossSum: loss[0] * globalBatchSize, count: batch.labels.length, correct: correct[0], gradients };
    } finally {
      tf.dispose([out.value, out.correct, ...out.grads]);
    }
  }

  /**
   * Applies SGD with the step's hyperparameters (from the coordinator, as they are: one lr and one weight decay per
   * layer group) to the unfrozen groups, and mirrors the weights into the model. `gradients` is computeGradients'
   * buffer (the unfrozen groups' values).
   */
  applyUpdate(gradients: Float32Array, h: Readonly<StepHyperparameters>, mode: WeightDecayMode): void {
    const n = this.groupRanges.length;
    for (const [name, list] of [
      ['lrs', h.groupLrs],
      ['weight decays', h.groupWeightDecays],
    ] as const) {
      if (list.length !== n) {
        throw new RangeError(`replica: the step gives ${list.length} group ${name}, the model has ${n} layer groups`);
      }
    }
    if (gradients.length !== this.trainableCount) {
      throw new RangeError(
        `replica: gradient has ${gradients.length} values, the unfrozen groups ${this.trainableCount}`,
      );
    }
    const w = this.weights.subarray(this.frozenEnd);
    const v = this.momentum.subarray(this.frozenEnd);
    for (let g = this.freezeTo; g < n; g++) {
      const { start, end } = this.groupRanges[g];
      const hg = { lr: h.groupLrs[g], momentum: h.momentum, weightDecay: h.groupWeightDecays[g], mode };
      sgdStep(w, gradients, v, hg, start - this.frozenEnd, end - this.frozenEnd);
    }
    this.writeWeights(this.vars.length - this.trainVars.length);
  }

  /** Loss and accuracy of the model in inference mode on a batch. */
  async evaluate(batch: TensorBatch): Promise<BatchResult> {
    const [loss, correct] = tf.tidy(() => {
      const x = tf.tensor4d(batch.x, batch.shape);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const logits = this.model.apply(x, { training: false }) as tf.Tensor;
      return [crossEntropySum(logits, labels), countCorrect(logits, labels)];
    });
    try {
      const [l, c] = await Promise.all([loss.data(), correct.data()]);
      return { lossSum: l[0], count: batch.labels.length, correct: c[0] };
    } finally {
      tf.dispose([loss, correct]);
    }
  }

  /** BatchNorm running statistics (and any other non-trainable weights), flat. */
  async readBuffers(): Promise<Float32Array> {
    const sizes = this.bufferVars.map((v) => sizeOf(v.shape));
    const out = new Float32Array(sizes.reduce((a, b) => a + b, 0));
    const values = await Promise.all(this.bufferVars.map((v) => v.read().data() as Promise<Float32Array>));
    let off = 0;
    values.forEach((vals, i) => {
      out.set(vals, off);
      off += sizes[i];
    });
    return out;
  }

  writeBuffers(flat: Float32Array): void {
    let off = 0;
    for (const v of this.bufferVars) {
      const n = sizeOf(v.shape);
      tf.tidy(() => {
        v.write(tf.tensor(flat.subarray(off, off + n), v.shape as number[]));
      });
      off += n;
    }
    if (off !== flat.length) throw new RangeError(`replica: buffer state has ${flat.length} values, the model ${off}`);
  }

  async getState(): Promise<ReplicaState> {
    return {
      weights: this.weights.slice(),
      momentum: this.momentum.slice(),
      buffers: await this.readBuffers(),
      weightTensors: layoutOf(this.vars),
      bufferTensors: layoutOf(this.bufferVars),
    };
  }

  /**
   * Puts a state on the replica. When it says what it holds (weightTensors, bufferTensors: a checkpoint's), a
   * different name, shape or order is a RangeError naming the first tensor that differs; else only the lengths are
   * checked.
   */
  setState(s: ReplicaState): void {
    const problems = [
      s.weightTensors?.length ? layoutDifference('weight', s.weightTensors, layoutOf(this.vars)) : undefined,
      s.bufferTensors?.length ? layoutDifference('buffer', s.bufferTensors, layoutOf(this.bufferVars)) : undefined,
    ].filter((p) => p !== undefined);
    if (problems.length > 0) throw new RangeError(`replica: the state does not fit this model: ${problems.join('; ')}`);
    if (s.weights.length !== this.weights.length || s.momentum.length !== this.momentum.length) {
      throw new RangeError(
        `replica: state has ${s.weights.length} weights and ${s.momentum.length} momenta, the model ${this.weights.length}`,
      );
    }
    this.weights.set(s.weights);
    this.momentum.set(s.momentum);
    this.writeWeights();
    this.writeBuffers(s.buffers);
  }

  /** Hex digests of the weights, the momentum buffers and the BatchNorm statistics. */
  async checksum(): Promise<{ weights: string; optimizer: string; buffers: string }> {
    return {
      weights: digest(this.weights),
      optimizer: digest(this.momentum),
      buffers: digest(await this.readBuffers()),
    };
  }

  /** Mirrors the flat weights into the model's variables, from variable `from` on (the frozen ones do not change). */
  private writeWeights(from = 0): void {
    this.vars.forEach((v, i) => {
      if (i < from) return;
      const n = sizeOf(v.shape);
      tf.tidy(() => {
        v.write(tf.tensor(this.weights.subarray(this.offsets[i], this.offsets[i] + n), v.shape as number[]));
      });
    });
  }
}

/** Names (tfjs's originalName, as model.json has them: no _1 suffix for a second model) and shapes, in order. */
function layoutOf(vars: readonly tf.LayerVariable[]): TensorLayout {
  return vars.map((v) => ({ name: v.originalName, shape: v.shape.map(Number) }));
}

/** Each trainable variable's layer group, by the layer that owns it; every one must be in a group. */
function groupOfVariables(model: tf.LayersModel, groups: ReplicaGroups['groups']): Map<tf.LayerVariable, number> {
  const groupOfLayer = new Map<string, number>();
  groups.forEach((grp, g) => grp.layers.forEach((name) => groupOfLayer.set(name, g)));
  const out = new Map<tf.LayerVariable, number>();
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) {
      const g = groupOfLayer.get(layer.name);
      if (g === undefined) throw new RangeError(`replica: layer ${layer.name} (weight ${w.name}) is in no layer group`);
      out.set(w, g);
    }
  }
  for (const w of model.trainableWeights) {
    if (!out.has(w)) throw new RangeError(`replica: weight ${w.name} belongs to no layer of the model`);
  }
  return out;
}

/**
 * Makes a layer ignore `training: true` (a frozen BatchNorm normalises with its moving statistics and leaves them
 * as they are). Layers are called by the model graph through their own `call`, so the instance's wrapper applies.
 */
function runInInferenceMode(layer: tf.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

function sizeOf(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b ?? NaN), 1);
}

/** The tf.Variable behind a layers weight (its name keys tf.variableGrads' result). */
function variableOf(v: tf.LayerVariable): tf.Variable {
  return v.read() as tf.Variable;
}

function digest(a: Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
}

/** Sum over the batch of softmax cross-entropy between logits [n, k] and integer labels [n]. */
function crossEntropySum(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  const logProbs = tf.logSoftmax(logits as tf.Tensor2D);
  const oneHot = tf.oneHot(labels, logits.shape[1]!);
  return tf.neg(tf.sum(tf.mul(oneHot, logProbs)));
}

/** How many argmax predictions match the labels, as an int32 scalar. */
function countCorrect(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32'));
}
