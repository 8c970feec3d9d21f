import { status as grpcStatus } from '@grpc/grpc-js';
import type { FitConfig } from '../shared/config/index.js';
import type { ConfigureReply__Output } from '../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import type { StateReply__Output } from '../shared/proto/generated/superconverge/v1/StateReply.js';
import type { StepReply__Output } from '../shared/proto/generated/superconverge/v1/StepReply.js';
import type { StepRequest__Output } from '../shared/proto/generated/superconverge/v1/StepRequest.js';
import { ReplicaMismatchError, WorkerError } from './errors.js';
import type { WorkerHandle } from './WorkerHandle.js';

export interface Totals {
  lossSum: number;
  count: number;
  correct: number;
}

/** Hex digests of a replica's weights, momentum buffers and BatchNorm statistics. */
export interface ReplicaChecksum {
  weights: string;
  optimizer: string;
  buffers: string;
}

export interface StepTotals extends Totals {
  /** Slowest worker's compute and allreduce time for the step, ms. */
  computeMs: number;
  allreduceMs: number;
  /**
   * The shortest allreduce of the step, ms: the last rank to reach it waits for no one, so this is the exchange
   * itself; allreduceMs minus this is the earlier ranks' wait for the later one.
   */
  exchangeMs: number;
  /** Largest compute + allreduce of one worker, ms: the step's wall time at the coordinator minus this is its overhead. */
  workerMs: number;
}

/**
 * The coordinator's side of a run's workers: it sends every worker the same request and reduces the replies.
 * Who does what, when, is decided by the caller (the training loop); this only fans out and gathers.
 */
export class Cluster {
  private members: readonly WorkerHandle[];

  constructor(
    workers: WorkerHandle[],
    readonly runId: string,
  ) {
    this.members = [...workers];
  }

  /** The run's workers by rank (with --elastic, those of the current ring). */
  get workers(): readonly WorkerHandle[] {
    return this.members;
  }

  /** Replaces the members (ElasticCluster, after the ring was re-formed); their ranks are their indices. */
  protected setWorkers(workers: readonly WorkerHandle[]): void {
    this.members = [...workers];
  }

  get size(): number {
    return this.workers.length;
  }

  async configure(config: FitConfig, ringAddresses: string[]): Promise<ConfigureReply__Output[]> {
    const configJson = JSON.stringify(config);
    const replies = await this.all('Configure', (w) =>
      w.configure({ runId: this.runId, rank: w.rank, worldSize: this.size, configJson, ringAddresses }),
    );
    const first = replies[0];
    replies.forEach((r, i) => {
      const differs = replicaDifferences(first, r);
      if (differs.length > 0) {
        throw new ReplicaMismatchError(
          `worker rank ${this.workers[i].rank} (${this.workers[i].address}) differs from rank 0: ${differs.join('; ')}`,
        );
      }
    });
    return replies;
  }

  async step(req: Omit<StepRequest__Output, 'runId'>): Promise<StepTotals> {
    const replies = await this.all(`Step ${req.step}`, (w) => w.step({ ...req, runId: this.runId }));
    replies.forEach((r, i) => {
      if (r.step !== req.step) {
        throw new WorkerError(
          this.workers[i].rank,
          this.workers[i].address,
          `Step ${req.step}`,
          `replied for step ${r.step}`,
        );
      }
    });
    return stepTotals(replies);
  }

  /**
   * Evaluates the whole validation split (batchSize 0) or one batch of it (lr_find2's per-iteration validation),
   * sharded across workers; the BatchNorm statistics are averaged across them first, so every shard is evaluated
   * by the same model.
   */
  async evaluate(batchIndex = 0, batchSize = 0): Promise<Totals> {
    await this.syncBuffers();
    return sumTotals(await this.all('Evaluate', (w) => w.evaluate({ runId: this.runId, batchIndex, batchSize })));
  }

  /** Averages BatchNorm running statistics across the workers (a no-op for one). */
  async syncBuffers(): Promise<void> {
    if (this.size === 1) return;
    await this.all('SyncBuffers', (w) => w.syncBuffers(this.runId));
  }

  /**
   * Compares every replica's weights and momentum checksums with rank 0's, and the BatchNorm statistics too when
   * `buffers` is set (they agree only right after syncBuffers). A mismatch is a ReplicaMismatchError naming the ranks.
   * Returns rank 0's digests.
   */
  async verifyReplicas(when: string, opts: { buffers?: boolean } = {}): Promise<ReplicaChecksum> {
    const sums = await this.all('Checksum', (w) => w.checksum(this.runId));
    const ref = sums[0];
    const describe = (s: typeof ref): string =>
      `weights ${s.weights.slice(0, 12)}, momentum ${s.optimizer.slice(0, 12)}${opts.buffers ? `, buffers ${s.buffers.slice(0, 12)}` : ''}`;
    const bad = sums
      .map((s, i) => ({ s, w: this.workers[i] }))
      .filter(
        ({ s }) =>
          s.weights !== ref.weights || s.optimizer !== ref.optimizer || (opts.buffers && s.buffers !== ref.buffers),
      )
      .map(({ s, w }) => `rank ${w.rank} (${w.address}): ${describe(s)}`);
    if (bad.length) {
      throw new ReplicaMismatchError(`replicas diverged ${when}: rank 0 has ${describe(ref)}; ${bad.join('; ')}`);
    }
    return { weights: ref.weights, optimizer: ref.optimizer, buffers: ref.buffers };
  }

  async getState(): Promise<StateReply__Output> {
    return this.workers[0].getState(this.runId);
  }

  async setState(state: StateReply__Output): Promise<void> {
    await this.all('SetState', (w) => w.setState({ ...state, runId: this.runId }));
  }

  async exportModel() {
    return this.workers[0].exportModel(this.runId);
  }

  async shutdown(reason: string): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.shutdown(this.runId, reason)));
  }

  /**
   * Sends every worker its call. When one fails, the others' calls are given FAILURE_GRACE_MS to fail too (a dead
   * worker fails its own call and its ring neighbours' at about the same time), and the error names the worker
   * that could not be reached before those that only lost a peer.
   */
  protected async all<T>(call: string, fn: (w: WorkerHandle) => Promise<T>): Promise<T[]> {
    const failures: WorkerError[] = [];
    let onFailure!: () => void;
    const failed = new Promise<'failed'>((resolve) => {
      onFailure = () => resolve('failed');
    });
    const calls = this.workers.map((w) =>
      fn(w).catch((e: unknown) => {
        const err = e instanceof WorkerError ? e : new WorkerError(w.rank, w.address, call, e);
        failures.push(err);
        onFailure();
        throw err;
      }),
    );
    const settled = Promise.allSettled(calls);
    if ((await Promise.race([settled.then(() => 'settled' as const), failed])) === 'failed') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        settled,
        new Promise((r) => {
          timer = setTimeout(r, FAILURE_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      throw rootFailure(failures);
    }
    return Promise.all(calls);
  }
}

/**
 * What differs between a worker's replica and rank 0's (empty: nothing). Each worker builds its model and reads its
 * dataset from its own disk: they must agree with rank 0's.
 */
export function replicaDifferences(first: ConfigureReply__Output, r: ConfigureReply__Output): string[] {
  return [
    r.modelFingerprint !== first.modelFingerprint && `model ${r.modelFingerprint} (rank 0: ${first.modelFingerprint})`,
    r.trainExamples !== first.trainExamples && `${r.trainExamples} training examples (rank 0: ${first.trainExamples})`,
    r.valExamples !== first.valExamples && `${r.valExamples} validation examples (rank 0: ${first.valExamples})`,
    r.dataStatsJson !== first.dataStatsJson && `dataset statistics ${r.dataStatsJson} (rank 0: ${first.dataStatsJson})`,
  ].filter((d): d is string => typeof d === 'string');
}

/** How long the other calls of a fan-out may take to fail once one has, so the root cause is reported. */
const FAILURE_GRACE_MS = 500;

/** The failure of a worker that could not be reached (its own connection dropped or timed out), else the first. */
function rootFailure(failures: WorkerError[]): WorkerError {
  const code = (e: WorkerError): number | undefined =>
    (e.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code as number | undefined;
  const unreachable = failures.find(
    (e) => code(e) === grpcStatus.UNAVAILABLE || code(e) === grpcStatus.DEADLINE_EXCEEDED,
  );
  return unreachable ?? failures[0];
}

/** A step's totals from its workers' replies. */
export function stepTotals(replies: StepReply__Output[]): StepTotals {
  return {
    ...sumTotals(replies),
    computeMs: Math.max(...replies.map((r) => r.computeMs)),
    allreduceMs: Math.max(...replies.map((r) => r.allreduceMs)),
    exchangeMs: Math.min(...replies.map((r) => r.allreduceMs)),
    workerMs: Math.max(...replies.map((r) => r.computeMs + r.allreduceMs)),
  };
}

function sumTotals(rs: Totals[]): Totals {
  return rs.reduce(
    (a, r) => ({ lossSum: a.lossSum + r.lossSum, count: a.count + r.count, correct: a.correct + r.correct }),
    {
      lossSum: 0,
      count: 0,
      correct: 0,
    },
  );
}
