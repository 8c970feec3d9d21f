import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { sgdStep, type SgdHyperparameters } from '../optimizer/index.js';

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
  momentum: Float32Array;
  buffers: Float32Array;
}

/** A forward pass in training mode; replaceable by a faster implementation that gives the same gradients. */
export type TrainForward = (model: tf.LayersModel, x: tf.Tensor4D) => tf.Tensor;
const layersTrainForward: TrainForward = (model, x) => model.apply(x, { training: true }) as tf.Tensor;

/**
 * A model replica and its optimizer state. The trainable weights live in one flat Float32Array (the source of
 * truth the SGD update writes), mirrored into the model's variables after every update; gradients come out as one
 * flat buffer in the same layout, ready for the allreduce.
 */
export class Replica {
  readonly weights: Float32Array;
  readonly momentum: Float32Array;
  private readonly vars: tf.LayerVariable[];
  private readonly bufferVars: tf.LayerVariable[];
  private readonly offsets: number[];

  constructor(readonly model: tf.LayersModel, private readonly trainForward: TrainForward = layersTrainForward) {
    this.vars = model.trainableWeights;
    this.bufferVars = model.nonTrainableWeights;
    this.offsets = [];
    let total = 0;
    for (const v of this.vars) {
      this.offsets.push(total);
      total += sizeOf(v.shape);
    }
    this.weights = new Float32Array(total);
    this.momentum = new Float32Array(total);
    this.vars.forEach((v, i) => this.weights.set(v.read().dataSync() as Float32Array, this.offsets[i]));
  }

  get parameterCount(): number {
    return this.weights.length;
  }

  /**
   * Forward and backward on a shard of the global batch. The loss is the shard's summed cross-entropy divided by
   * the GLOBAL batch size, so that summing the workers' gradients gives the gradient of the global mean loss.
   */
  computeGradients(batch: TensorBatch, globalBatchSize: number): BatchResult & { gradients: Float32Array } {
    const gradients = new Float32Array(this.weights.length);
    let lossSum = 0;
    let correct = 0;
    tf.tidy(() => {
      const x = tf.tensor4d(batch.x, batch.shape);
      const labels = tf.tensor1d(batch.labels, 'int32');
      let logits: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        logits = tf.keep(this.trainForward(this.model, x));
        return crossEntropySum(logits, labels).div(globalBatchSize) as tf.Scalar;
      }, this.vars.map(variableOf));
      lossSum = value.dataSync()[0] * globalBatchSize;
      correct = countCorrect(logits!, labels);
      logits!.dispose(); // kept out of variableGrads' scope, so the outer tidy does not own it
      this.vars.forEach((v, i) => {
        const g = grads[variableOf(v).name];
        if (!g) throw new Error(`replica: no gradient for ${v.name}`);
        gradients.set(g.dataSync() as Float32Array, this.offsets[i]);
      });
    });
    return { lossSum, count: batch.labels.length, correct, gradients };
  }

  /** Applies SGD with the step's hyper-parameters (from the coordinator) and mirrors the weights into the model. */
  applyUpdate(gradients: Float32Array, h: SgdHyperparameters): void {
    sgdStep(this.weights, gradients, this.momentum, h);
    this.writeWeights();
  }

  /** Loss and accuracy of the model in inference mode on a batch. */
  evaluate(batch: TensorBatch): BatchResult {
    return tf.tidy(() => {
      const x = tf.tensor4d(batch.x, batch.shape);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const logits = this.model.apply(x, { training: false }) as tf.Tensor;
      const lossSum = crossEntropySum(logits, labels).dataSync()[0];
      return { lossSum, count: batch.labels.length, correct: countCorrect(logits, labels) };
    });
  }

  /** BatchNorm running statistics (and any other non-trainable weights), flat. */
  readBuffers(): Float32Array {
    const sizes = this.bufferVars.map((v) => sizeOf(v.shape));
    const out = new Float32Array(sizes.reduce((a, b) => a + b, 0));
    let off = 0;
    this.bufferVars.forEach((v, i) => {
      out.set(v.read().dataSync() as Float32Array, off);
      off += sizes[i];
    });
    return out;
  }

  writeBuffers(flat: Float32Array): void {
    let off = 0;
    for (const v of this.bufferVars) {
      const n = sizeOf(v.shape);
      tf.tidy(() => { v.write(tf.tensor(flat.subarray(off, off + n), v.shape as number[])); });
      off += n;
    }
    if (off !== flat.length) throw new RangeError(`replica: buffer state has ${flat.length} values, the model ${off}`);
  }

  getState(): ReplicaState {
    return { weights: this.weights.slice(), momentum: this.momentum.slice(), buffers: this.readBuffers() };
  }

  setState(s: ReplicaState): void {
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
  checksum(): { weights: string; optimizer: string; buffers: string } {
    return { weights: digest(this.weights), optimizer: digest(this.momentum), buffers: digest(this.readBuffers()) };
  }

  private writeWeights(): void {
    this.vars.forEach((v, i) => {
      const n = sizeOf(v.shape);
      tf.tidy(() => { v.write(tf.tensor(this.weights.subarray(this.offsets[i], this.offsets[i] + n), v.shape as number[])); });
    });
  }
}

function sizeOf(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b ?? NaN), 1);
}

/** The tf.Variable behind a layers weight (its name keys tf.variableGrads' result). */
function variableOf(v: tf.LayerVariable): tf.Variable {
  return v.read() as tf.Variable;
}

function digest(a: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/** Sum over the batch of softmax cross-entropy between logits [n, k] and integer labels [n]. */
function crossEntropySum(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  const logProbs = tf.logSoftmax(logits as tf.Tensor2D);
  const oneHot = tf.oneHot(labels, logits.shape[1]!);
  return tf.neg(tf.sum(tf.mul(oneHot, logProbs)));
}

function countCorrect(logits: tf.Tensor, labels: tf.Tensor1D): number {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')).dataSync()[0];
}
