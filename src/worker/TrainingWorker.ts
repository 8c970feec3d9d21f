import { performance } from 'node:perf_hooks';
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, resolveFitConfig, resolveGroupValues, type FitConfig } from '../shared/config/index.js';
import type { ChecksumReply__Output } from '../shared/proto/generated/superconverge/v1/ChecksumReply.js';
import type { ConfigureReply__Output } from '../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import type { ConfigureRequest__Output } from '../shared/proto/generated/superconverge/v1/ConfigureRequest.js';
import type { EvaluateReply__Output } from '../shared/proto/generated/superconverge/v1/EvaluateReply.js';
import type { EvaluateRequest__Output } from '../shared/proto/generated/superconverge/v1/EvaluateRequest.js';
import type { AbortReply__Output } from '../shared/proto/generated/superconverge/v1/AbortReply.js';
import type { AbortRequest__Output } from '../shared/proto/generated/superconverge/v1/AbortRequest.js';
import type { ExportModelReply__Output } from '../shared/proto/generated/superconverge/v1/ExportModelReply.js';
import type { ReformRequest__Output } from '../shared/proto/generated/superconverge/v1/ReformRequest.js';
import type { StateReply__Output } from '../shared/proto/generated/superconverge/v1/StateReply.js';
import type { StepReply__Output } from '../shared/proto/generated/superconverge/v1/StepReply.js';
import type { StepRequest__Output } from '../shared/proto/generated/superconverge/v1/StepRequest.js';
import { selectBackend, type AdapterInfo, type ConcreteBackend } from './backend/index.js';
import { InProcessCollective, type Collective } from './allreduce/index.js';
import {
  BUILT_IN_LAYER_GROUPS,
  buildModel,
  exportModel,
  isBuiltInModel,
  loadModel,
  resolveLayerGroups,
  type LayerGroup,
} from './models/index.js';
import { trainForward } from './fastForward/index.js';
import { Replica, type BatchResult, type TensorBatch } from './replica/index.js';
import type { TrainingData } from './TrainingData.js';
import { validateStepRequest } from './validateStepRequest.js';

/** How a worker gets its data and its collective; injected so tests and the launchers choose. */
export interface WorkerEnvironment {
  openData(config: FitConfig, rank: number, worldSize: number): Promise<TrainingData>;
  openCollective(rank: number, worldSize: number, ringAddresses: string[], runId: string): Promise<Collective>;
}

/** Thrown for a request that does not fit the worker's state; the gRPC layer maps it to FAILED_PRECONDITION. */
export class WorkerStateError extends Error {
  override name = 'WorkerStateError';
}

interface Configured {
  runId: string;
  rank: number;
  worldSize: number;
  config: FitConfig;
  backend: ConcreteBackend;
  /** webgpu: the adapter it runs on. */
  adapter?: AdapterInfo;
  data: TrainingData;
  replica: Replica;
  groups: LayerGroup[];
  allreduce: Collective;
  /** The step expected next (the last one + 1); undefined after Configure and SetState, which may move it. */
  nextStep?: number;
  /** The last step applied to the replica (-1: none since Configure or SetState); Abort answers it. */
  lastStep: number;
  /** The ring's id: the run id for the first ring, then the ring_id of the last Reform. */
  ringId: string;
  /** Aborts the collective op in flight (a Step's or SyncBuffers' allreduce); Abort fires it. */
  inflight?: AbortController;
}

/**
 * A data-parallel worker: a model replica, its optimizer state and its shard of the data. It does what each
 * request says (the coordinator owns the step, the schedule and the order of things) and keeps no step counter.
 * Its methods mirror the Worker service in proto/superconverge.proto.
 */
export class TrainingWorker {
  private s: Configured | undefined;

  constructor(private readonly env: WorkerEnvironment) {}

  async configure(req: ConfigureRequest__Output): Promise<ConfigureReply__Output> {
    if (this.s) {
      if (this.s.runId === req.runId) return this.describe();
      await this.shutdown();
    }
    const config = resolveFitConfig(JSON.parse(req.configJson) as Partial<FitConfig>);
    const { backend, adapter } = await selectBackend(config.backend);
    const data = await this.env.openData(config, req.rank, req.worldSize);
    const model = await this.makeModel(config, data);
    let groups: LayerGroup[];
    let replica: Replica;
    try {
      groups = layerGroupsOf(config, model);
      resolveGroupValues(
        config,
        groups.map((g) => g.layers[0]),
      ); // one value or one per group; a group left to train
      // The fast training forward (same values, gradients and BatchNorm updates as model.apply) on every backend; the
      // frozen groups' BatchNorm layers run in inference mode. BatchNorm's moving variance takes the unbiased batch
      // variance, as PyTorch's.
      const frozenLayers = new Set(groups.slice(0, config.freezeTo).flatMap((g) => g.layers));
      const options = { unbiasedVariance: true, inferenceLayers: frozenLayers };
      const forward = (m: tf.LayersModel, x: tf.Tensor): tf.Tensor => trainForward(m, x, options);
      replica = await Replica.create(model, forward, { groups, freezeTo: config.freezeTo });
    } catch (e) {
      model.dispose();
      await data.close();
      throw e;
    }
    const allreduce =
      req.worldSize > 1
        ? await this.env.openCollective(req.rank, req.worldSize, req.ringAddresses, req.runId)
        : InProcessCollective.group(1)[0];
    this.s = {
      runId: req.runId,
      rank: req.rank,
      worldSize: req.worldSize,
      config,
      backend,
      adapter,
      data,
      replica,
      groups,
      allreduce,
      lastStep: -1,
      ringId: req.runId,
    };
    return this.describe();
  }

  /**
   * One step: gradients on this rank's shard (of the unfrozen layer groups), allreduce (sum), SGD with the step's
   * hyperparameters as the request gives them (each layer group's lr and weight decay, the momentum).
   */
  async step(req: StepRequest__Output): Promise<StepReply__Output> {
    const s = this.state(req.runId);
    validateStepRequest(req, s.groups.length, s.nextStep);
    const batch = await s.data.trainBatch(req.epoch, req.batchInEpoch);
    // --elastic: an aborted step must leave the replica as it was, and the forward pass moves the BatchNorm statistics.
    const buffersBefore = s.config.elastic ? await s.replica.readBuffers() : undefined;
    const t0 = performance.now();
    // The loss is the mean over this step's global batch: the batch size, or fewer for an epoch's last partial batch.
    const r = await s.replica.computeGradients(batch, s.data.trainBatchExamples(req.batchInEpoch));
    const t1 = performance.now();
    try {
      await this.allreduce(s, r.gradients);
    } catch (err) {
      if (buffersBefore) s.replica.writeBuffers(buffersBefore);
      throw err;
    }
    const t2 = performance.now();
    s.replica.applyUpdate(r.gradients, req, s.config.wdMode);
    const t3 = performance.now();
    s.nextStep = req.step + 1;
    s.lastStep = req.step;
    return {
      step: req.step,
      lossSum: r.lossSum,
      count: r.count,
      correct: r.correct,
      computeMs: t1 - t0 + (t3 - t2),
      allreduceMs: t2 - t1,
    };
  }

  async evaluate(req: EvaluateRequest__Output): Promise<EvaluateReply__Output> {
    const s = this.state(req.runId);
    if (req.batchSize > 0) return s.replica.evaluate(await s.data.evalBatch(req.batchIndex, req.batchSize));
    const total: BatchResult = { lossSum: 0, count: 0, correct: 0 };
    for await (const batch of s.data.evalSplit(evalBatchSize(s.config))) add(total, await s.replica.evaluate(batch));
    return total;
  }

  async checksum(runId: string): Promise<ChecksumReply__Output> {
    return this.state(runId).replica.checksum();
  }

  /** Averages the BatchNorm running statistics across ranks, as DDP's broadcast_buffers keeps them consistent. */
  async syncBuffers(runId: string): Promise<void> {
    const s = this.state(runId);
    if (s.worldSize === 1) return;
    const buffers = await s.replica.readBuffers();
    await this.allreduce(s, buffers);
    for (let i = 0; i < buffers.length; i++) buffers[i] /= s.worldSize;
    s.replica.writeBuffers(buffers);
  }

  async getState(runId: string): Promise<StateReply__Output> {
    const st = await this.state(runId).replica.getState();
    return {
      runId,
      weights: toBytes(st.weights),
      momentum: toBytes(st.momentum),
      buffers: toBytes(st.buffers),
      weightTensors: [...(st.weightTensors ?? [])],
      bufferTensors: [...(st.bufferTensors ?? [])],
    };
  }

  setState(req: StateReply__Output): void {
    const s = this.state(req.runId);
    s.nextStep = undefined;
    s.lastStep = -1;
    s.replica.setState({
      weights: fromBytes(req.weights),
      momentum: fromBytes(req.momentum),
      buffers: fromBytes(req.buffers),
      weightTensors: req.weightTensors,
      bufferTensors: req.bufferTensors,
    });
  }

  /**
   * --elastic: fails the collective op in flight at once (its Step or SyncBuffers rejects with a CollectiveError, the
   * replica untouched) and closes the ring, so no late chunk lands; Reform opens the next. Answers the last step
   * applied, so the coordinator can tell whether the failed step was applied here. An Abort of a ring this worker
   * has already left (one that arrives late) changes nothing.
   */
  async abort(req: AbortRequest__Output): Promise<AbortReply__Output> {
    const s = this.state(req.runId);
    if (req.ringId !== s.ringId) return { lastStep: s.lastStep }; // a late Abort of a ring this worker has left
    s.inflight?.abort(new Error(req.reason));
    await s.allreduce.close();
    return { lastStep: s.lastStep };
  }

  /**
   * --elastic: takes rank `rank` of `worldSize` in a new ring (the old one is closed), with the data resharded, and
   * accepts only step `nextStep` next (any, when -1). The replica is kept.
   */
  async reform(req: ReformRequest__Output): Promise<void> {
    const s = this.state(req.runId);
    if (!(req.worldSize >= 1 && req.rank < req.worldSize))
      throw new ConfigError(`Reform: rank ${req.rank} is not in 0..${req.worldSize - 1}`);
    if (req.worldSize > s.config.batchSize)
      throw new ConfigError(`Reform: world size ${req.worldSize} exceeds the global batch ${s.config.batchSize}`);
    if (req.ringId === '') throw new ConfigError('Reform: ring_id is empty');
    if (req.worldSize > 1 && req.ringAddresses.length !== req.worldSize) {
      throw new ConfigError(`Reform gave ${req.ringAddresses.length} ring addresses for a world of ${req.worldSize}`);
    }
    await s.allreduce.close();
    await s.data.reshard(req.rank, req.worldSize);
    s.rank = req.rank;
    s.worldSize = req.worldSize;
    s.allreduce =
      req.worldSize > 1
        ? await this.env.openCollective(req.rank, req.worldSize, req.ringAddresses, req.ringId)
        : InProcessCollective.group(1)[0];
    s.ringId = req.ringId;
    s.nextStep = req.nextStep >= 0 ? req.nextStep : undefined;
  }

  /** The replica in tfjs format (model.json + weights.bin), for the coordinator to save. */
  async exportModel(runId: string): Promise<ExportModelReply__Output> {
    return exportModel(this.state(runId).replica.model);
  }

  async shutdown(): Promise<void> {
    const s = this.s;
    this.s = undefined;
    if (!s) return;
    await s.data.close();
    await s.allreduce.close();
    s.replica.model.dispose();
  }

  /** The replica, for in-process callers (tests, the local single-worker path). */
  replica(runId: string): Replica {
    return this.state(runId).replica;
  }

  /** An allreduce that Abort can fail while it waits on its peers. */
  private async allreduce(s: Configured, buf: Float32Array): Promise<void> {
    const inflight = new AbortController();
    s.inflight = inflight;
    try {
      await s.allreduce.allreduce(buf, { signal: inflight.signal });
    } finally {
      if (s.inflight === inflight) s.inflight = undefined;
    }
  }

  private describe(): ConfigureReply__Output {
    const s = this.s!;
    return {
      rank: s.rank,
      backend: s.backend,
      parameterCount: s.replica.parameterCount,
      modelFingerprint: fingerprint(s.replica.model),
      trainExamples: s.data.trainExamples,
      valExamples: s.data.valExamples,
      dataStatsJson: JSON.stringify({ ...s.data.stats, numClasses: s.data.numClasses }),
      layerGroups: s.groups.map((g) => ({ layers: g.layers, parameterCount: g.parameterCount })),
      adapterJson: s.adapter ? JSON.stringify(s.adapter) : '',
    };
  }

  private state(runId: string): Configured {
    if (!this.s) throw new WorkerStateError('worker is not configured: Configure must come first');
    if (this.s.runId !== runId)
      throw new WorkerStateError(`worker is configured for run ${this.s.runId}, not ${runId}`);
    return this.s;
  }

  private async makeModel(config: FitConfig, data: TrainingData): Promise<tf.LayersModel> {
    if (isBuiltInModel(config.model)) {
      return buildModel(config.model, { inputShape: data.inputShape, numClasses: data.numClasses, seed: config.seed });
    }
    const model = await loadModel(config.model);
    const inShape = model.inputs[0].shape.slice(1);
    if (inShape.join(',') !== data.inputShape.join(',')) {
      model.dispose();
      throw new ConfigError(
        `--model ${config.model} takes inputs of shape [${inShape}], the data has [${data.inputShape}]`,
      );
    }
    const outputs = model.outputs[0].shape.at(-1);
    if (model.outputs.length !== 1 || outputs !== data.numClasses) {
      model.dispose();
      throw new ConfigError(
        `--model ${config.model} has ${model.outputs.length === 1 ? `${outputs} outputs` : `${model.outputs.length} output tensors`}, ` +
          `but the data has ${data.numClasses} classes: its last layer must give one output per class`,
      );
    }
    return model;
  }
}

/** The model's layer groups: from --layer-groups, else the built-in model's own, else the whole model as one. */
function layerGroupsOf(config: FitConfig, model: tf.LayersModel): LayerGroup[] {
  if (config.layerGroups) return resolveLayerGroups(model, config.layerGroups, '--layer-groups');
  if (isBuiltInModel(config.model))
    return resolveLayerGroups(model, BUILT_IN_LAYER_GROUPS[config.model], `the layer groups of ${config.model}`);
  return resolveLayerGroups(model, undefined, `--model ${config.model}`);
}

/** Examples per evaluation batch (global): the training batch, at least 256 for speed. */
function evalBatchSize(c: FitConfig): number {
  return Math.max(c.batchSize, 256);
}

function add(total: BatchResult, r: BatchResult): void {
  total.lossSum += r.lossSum;
  total.count += r.count;
  total.correct += r.correct;
}

function toBytes(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function fromBytes(b: Buffer): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** Architecture and parameter shapes, so a mismatched worker can be named. */
function fingerprint(model: tf.LayersModel): string {
  return `${model.name}:${model.trainableWeights.map((w) => w.shape.join('x')).join(',')}`;
}

export type { TensorBatch };
