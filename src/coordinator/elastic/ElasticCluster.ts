import { performance } from 'node:perf_hooks';
import type { FitConfig } from '../../shared/config/index.js';
import type { Logger } from '../../shared/log/index.js';
import type { ConfigureReply__Output } from '../../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import type { StepReply__Output } from '../../shared/proto/generated/superconverge/v1/StepReply.js';
import type { StepRequest__Output } from '../../shared/proto/generated/superconverge/v1/StepRequest.js';
import {
  Cluster,
  replicaDifferences,
  stepTotals,
  type ReplicaChecksum,
  type StepTotals,
  type Totals,
} from '../Cluster.js';
import type { Member as Joined } from '../launch/index.js';
import { ReplicaMismatchError, WorkerError } from '../errors.js';
import type { WorkerHandle } from '../WorkerHandle.js';
import type { ElasticEvent } from './ElasticEvent.js';
import { isRingFailure, isUnreachable } from './grpcCodeOf.js';
import { LateJoiners, type OwnedWorker } from './LateJoiners.js';
import { RankedWorker } from './RankedWorker.js';

/** Where late joiners come from, and where a lost worker's rank is freed: the run's rendezvous. */
interface Membership {
  onLateJoin(listener: (m: Joined) => void): void;
  release(workerAddress: string): void;
}

interface ElasticOptions {
  log: Logger;
  /** Stop (throw) when fewer workers than this remain. */
  minWorkers: number;
  /** Absent: lost workers are not replaced (no rendezvous: workers given by the caller). */
  membership?: Membership;
  /** Opens a handle to a worker that joined late. */
  connect?(m: Joined): OwnedWorker;
}

/** One worker of the ring: its handle (not renumbered) and its ring data-plane address. */
interface RingMember {
  handle: WorkerHandle;
  ringAddress: string;
}

/**
 * The cluster of an --elastic run. Coordination only (Horovod-style): the workers move the data (gradients in the
 * ring, replica state by GetState/SetState); this decides who is in the ring.
 *
 * When a call fails because a worker is lost (its connection dropped, its heartbeat went silent), the others are told
 * to Abort (their collective in flight fails at once, their replicas untouched by it), the lost worker is dropped,
 * the survivors agree on one replica state, and the ring is re-formed with ranks 0..N'-1 (Reform; each worker
 * reshards its data, so every global batch keeps its examples and the schedule is unchanged). A Step in flight is
 * then redone by the survivors, or kept where a survivor had applied it (its state is copied to the others): each
 * global step is applied exactly once, and nothing is lost. Other calls are retried. Workers that join again
 * (rendezvous) are configured in the background and admitted at the next step boundary with a survivor's state.
 */
export class ElasticCluster extends Cluster {
  /** Membership changes, in order (summary.json's elasticEvents). */
  readonly events: ElasticEvent[] = [];
  private ring: RingMember[];
  private generation = 0;
  /** The current ring's id (the run id for the first ring): Aborts name it, so a late one cannot break the next ring. */
  private ringId: string;
  /** The step the workers expect next (undefined until the first step; a resumed run starts mid-way). */
  private nextStep: number | undefined;
  private reference: ConfigureReply__Output | undefined;
  private configJson = '';
  private readonly joiners: LateJoiners;
  private readonly owned: OwnedWorker[] = [];

  constructor(
    workers: WorkerHandle[],
    runId: string,
    private readonly opts: ElasticOptions,
  ) {
    super(workers, runId);
    this.ringId = runId;
    this.ring = workers.map((handle) => ({ handle, ringAddress: '' }));
    this.joiners = new LateJoiners({
      runId,
      log: opts.log,
      connect: (m) => {
        if (!opts.connect) throw new Error('this run cannot open handles to late joiners');
        const handle = opts.connect(m);
        this.owned.push(handle);
        return handle;
      },
      configureRequest: () => ({ runId, rank: 0, worldSize: 1, configJson: this.configJson, ringAddresses: [] }),
      differences: (reply) => replicaDifferences(this.reference!, reply),
      release: (address) => opts.membership?.release(address),
    });
  }

  /** Late joiners configured and waiting for the next step boundary. */
  get waitingToJoin(): number {
    return this.joiners.waiting;
  }

  override async configure(config: FitConfig, ringAddresses: string[]): Promise<ConfigureReply__Output[]> {
    const replies = await super.configure(config, ringAddresses);
    this.ring = this.ring.map((m, i) => ({ ...m, ringAddress: ringAddresses[i] }));
    this.reference = replies[0];
    this.configJson = JSON.stringify(config);
    if (this.opts.connect) this.opts.membership?.onLateJoin((m) => this.joiners.add(m));
    return replies;
  }

  override async step(req: Omit<StepRequest__Output, 'runId'>): Promise<StepTotals> {
    await this.admitJoiners(req.step);
    for (;;) {
      const t0 = performance.now();
      const { replies, failures, failedAt } = await this.fanOutStep(req);
      if (failures.size === 0) {
        this.nextStep = req.step + 1;
        return stepTotals(replies as StepReply__Output[]);
      }
      const members = this.ring;
      const kept = await this.recover(`Step ${req.step}`, failures, {
        step: req.step,
        dispatchedMs: t0,
        failedMs: failedAt ?? t0,
      });
      if (kept.length > 0) {
        // A survivor had applied the step (the lost worker had sent its share): it stands, with the loss of the shards
        // that answered.
        const got = members
          .map((m, i) => (kept.includes(m) ? replies[i] : undefined))
          .filter((r): r is StepReply__Output => r !== undefined);
        if (got.length === 0) {
          throw new Error(
            `step ${req.step} was applied by the surviving replicas, but none of their Step replies arrived, so its loss is unknown`,
          );
        }
        return stepTotals(got);
      }
    }
  }

  override evaluate(batchIndex = 0, batchSize = 0): Promise<Totals> {
    return this.retrying('Evaluate', () => super.evaluate(batchIndex, batchSize));
  }

  override syncBuffers(): Promise<void> {
    return this.retrying('SyncBuffers', () => super.syncBuffers());
  }

  override verifyReplicas(when: string, opts: { buffers?: boolean } = {}): Promise<ReplicaChecksum> {
    return this.retrying('Checksum', () => super.verifyReplicas(when, opts));
  }

  override getState() {
    return this.retrying('GetState', () => this.onRank0('GetState', () => super.getState()));
  }

  override exportModel() {
    return this.retrying('ExportModel', () => this.onRank0('ExportModel', () => super.exportModel()));
  }

  override async shutdown(reason: string): Promise<void> {
    await this.joiners.close();
    await super.shutdown(reason);
    for (const h of this.owned) h.close?.();
  }

  /** Sends every worker the Step; once one fails, the others still waiting (in the ring, on it) are aborted. */
  private async fanOutStep(req: Omit<StepRequest__Output, 'runId'>): Promise<{
    replies: (StepReply__Output | undefined)[];
    failures: Map<RingMember, unknown>;
    failedAt?: number;
  }> {
    const members = this.ring;
    const failures = new Map<RingMember, unknown>();
    const pending = new Set(members);
    let failedAt: number | undefined;
    const replies = await Promise.all(
      this.workers.map((w, i) =>
        w.step({ ...req, runId: this.runId }).then(
          (r) => {
            pending.delete(members[i]);
            if (r.step !== req.step)
              throw new WorkerError(w.rank, w.address, `Step ${req.step}`, `replied for step ${r.step}`);
            return r;
          },
          (err: unknown) => {
            pending.delete(members[i]);
            failures.set(members[i], err);
            if (failedAt === undefined) {
              failedAt = performance.now();
              const why = `Step ${req.step} failed on rank ${w.rank} (${w.address})`;
              for (const m of pending)
                void m.handle.abort({ runId: this.runId, reason: why, ringId: this.ringId }).catch(() => undefined);
            }
            return undefined;
          },
        ),
      ),
    );
    return { replies, failures, failedAt };
  }

  /** A call to rank 0 alone, its failure named by rank and address (a WorkerError), as a fan-out's. */
  private async onRank0<T>(call: string, fn: () => Promise<T>): Promise<T> {
    const w = this.workers[0];
    try {
      return await fn();
    } catch (err) {
      throw err instanceof WorkerError ? err : new WorkerError(w.rank, w.address, call, err);
    }
  }

  /** Runs a call; when it fails because workers were lost, re-forms the ring without them and runs it again. */
  private async retrying<T>(call: string, fn: () => Promise<T>): Promise<T> {
    for (;;) {
      const t0 = performance.now();
      try {
        return await fn();
      } catch (err) {
        const member = err instanceof WorkerError ? this.ring[err.rank] : undefined;
        if (!member || member.handle.address !== (err as WorkerError).address) throw err;
        await this.recover(call, new Map([[member, err]]), { dispatchedMs: t0, failedMs: performance.now() });
      }
    }
  }

  /**
   * After `failures` of `call`: aborts every worker still reachable (the one that answers no Abort is lost too),
   * drops the lost ones, makes the survivors' replicas agree and re-forms the ring. With `at.step` (a Step failed),
   * returns the survivors that had applied it (empty: none did, so it is redone). Throws the failure when no worker
   * was lost (nothing to re-form), when a survivor failed otherwise, or when fewer than minWorkers remain.
   */
  private async recover(
    call: string,
    failures: Map<RingMember, unknown>,
    at: { step?: number; dispatchedMs: number; failedMs: number },
  ): Promise<RingMember[]> {
    const members = this.ring;
    const rankOf = (m: RingMember): number => members.indexOf(m);
    const asWorkerError = (m: RingMember, e: unknown): WorkerError =>
      e instanceof WorkerError ? e : new WorkerError(rankOf(m), m.handle.address, call, e);
    const detectedAt = Date.now();
    const lost = new Map<RingMember, unknown>([...failures].filter(([, e]) => isUnreachable(e)));
    const first = [...failures][0];
    const why = `${call} failed on rank ${rankOf(first[0])} (${first[0].handle.address})`;
    const lastSteps = new Map<RingMember, number>();
    await Promise.all(
      members
        .filter((m) => !lost.has(m))
        .map(async (m) => {
          try {
            lastSteps.set(
              m,
              (await m.handle.abort({ runId: this.runId, reason: `${why}: re-forming the ring`, ringId: this.ringId }))
                .lastStep,
            );
          } catch (e) {
            lost.set(m, e);
          }
        }),
    );
    if (lost.size === 0) throw asWorkerError(first[0], first[1]);
    for (const [m, e] of failures) if (!lost.has(m) && !isRingFailure(e)) throw asWorkerError(m, e);
    const survivors = members.filter((m) => !lost.has(m));
    if (survivors.length < this.opts.minWorkers) {
      const [m, e] = [...lost][0];
      throw new WorkerError(
        rankOf(m),
        m.handle.address,
        call,
        `${e instanceof Error ? e.message : String(e)}; ${survivors.length} worker(s) remain, fewer than --min-workers ${this.opts.minWorkers}`,
      );
    }
    for (const m of lost.keys()) {
      this.opts.membership?.release(m.handle.address);
      void m.handle.shutdown(this.runId, `lost by the run: ${why}`).catch(() => undefined); // if it is only hung
    }
    const kept = at.step === undefined ? [] : survivors.filter((m) => lastSteps.get(m) === at.step);
    if (at.step !== undefined) this.nextStep = kept.length > 0 ? at.step + 1 : at.step;
    await this.regroup(
      survivors,
      kept[0] ?? survivors[0],
      `after losing ${[...lost.keys()].map((m) => `rank ${rankOf(m)}`).join(', ')}`,
    );
    const recoverMs = performance.now() - at.failedMs;
    for (const m of lost.keys()) {
      const event: ElasticEvent = {
        step: at.step ?? this.nextStep ?? 0,
        kind: 'lost',
        during: call,
        rank: rankOf(m),
        address: m.handle.address,
        workers: survivors.length,
        detectMs: Math.round(at.failedMs - at.dispatchedMs),
        recoverMs: Math.round(recoverMs),
        ...(at.step !== undefined && { stepKept: kept.length > 0 }),
        at: detectedAt,
      };
      this.events.push(event);
      const reason = lost.get(m);
      this.opts.log.warn(
        { ...event, cause: reason instanceof Error ? reason.message : String(reason) },
        `lost worker rank ${event.rank} (${event.address}) in ${call}: detected after ${event.detectMs} ms, ring re-formed with ` +
          `${survivors.length} worker(s) in ${event.recoverMs} ms; ` +
          (at.step === undefined
            ? `${call} is run again`
            : kept.length > 0
              ? `step ${at.step} was applied and stands`
              : `step ${at.step} is redone`),
      );
    }
    return kept;
  }

  /**
   * Makes `members` the ring: their replicas made identical to `source`'s where they differ (weights and momentum),
   * then Reform with ranks 0..N-1 and the step they accept next. A worker lost meanwhile is recovered from in turn.
   */
  private async regroup(members: RingMember[], source: RingMember, when: string): Promise<void> {
    const t0 = performance.now();
    try {
      this.setRing(members);
      if (members.length > 1) {
        const sums = await this.all('Checksum', (w) => w.checksum(this.runId));
        const ref = sums[members.indexOf(source)];
        const stale = members.filter((_, i) => sums[i].weights !== ref.weights || sums[i].optimizer !== ref.optimizer);
        if (stale.length > 0) {
          const state = await source.handle.getState(this.runId);
          await Promise.all(stale.map((m) => m.handle.setState({ ...state, runId: this.runId })));
        }
      }
      const ringAddresses = members.map((m) => m.ringAddress);
      const ringId = `${this.runId}/ring-${++this.generation}`;
      this.ringId = ringId; // a worker whose Reform fails is aborted from this ring, the ring it may be in
      await this.all('Reform', (w) =>
        w.reform({
          runId: this.runId,
          rank: w.rank,
          worldSize: members.length,
          ringAddresses,
          ringId,
          nextStep: this.nextStep ?? -1,
        }),
      );
      if (members.length > 1) await super.verifyReplicas(when);
    } catch (err) {
      if (err instanceof ReplicaMismatchError) throw err;
      const member = err instanceof WorkerError ? this.ring[err.rank] : undefined;
      if (!member) throw err;
      await this.recover('Reform', new Map([[member, err]]), { dispatchedMs: t0, failedMs: performance.now() });
    }
  }

  /** Admits the late joiners ready now, at the boundary before `step`: a survivor's state, then the ring re-formed. */
  private async admitJoiners(step: number): Promise<void> {
    const joiners = this.joiners.take();
    if (joiners.length === 0) return;
    const t0 = performance.now();
    const state = await this.getState();
    const admitted: RingMember[] = [];
    for (const j of joiners) {
      try {
        await j.handle.setState({ ...state, runId: this.runId });
        admitted.push({ handle: j.handle, ringAddress: j.ringAddress });
      } catch (err) {
        await this.joiners.dismiss(j.handle, `SetState failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (admitted.length === 0) return;
    this.nextStep = step;
    const members = [...this.ring, ...admitted];
    await this.regroup(members, members[0], `after admitting ${admitted.map((m) => m.handle.address).join(', ')}`);
    const recoverMs = Math.round(performance.now() - t0);
    for (const m of admitted) {
      const rank = this.ring.indexOf(m);
      if (rank < 0) continue; // lost again while being admitted
      const j = joiners.find((x) => x.handle === m.handle)!;
      const event: ElasticEvent = {
        step,
        kind: 'joined',
        during: 'Join',
        rank,
        address: m.handle.address,
        workers: this.ring.length,
        detectMs: Math.round(j.configureMs),
        recoverMs,
        at: Date.now(),
      };
      this.events.push(event);
      this.opts.log.warn(
        event,
        `worker ${m.handle.address} joined as rank ${rank} at step ${step}: ${this.ring.length} workers, admitted in ${recoverMs} ms`,
      );
    }
  }

  private setRing(members: RingMember[]): void {
    this.ring = members;
    this.setWorkers(members.map((m, rank) => new RankedWorker(rank, m.handle)));
  }
}
