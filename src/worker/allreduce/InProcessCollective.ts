/**
 * N collective members in one process sharing a hub: the stand-in for the TCP ring in unit tests of the
 * training logic. Same contract, same summation order (ringOrderSum), so its results are bit-identical to
 * RingCollective's for the same inputs.
 */
import { SerialQueue } from './SerialQueue.js';
import type { AllreduceOptions, Collective } from './Collective.js';
import { CollectiveError } from './CollectiveError.js';
import { ringOrderSum } from './ringSchedule.js';

interface Pending {
  buf: Float32Array;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** The shared state of one group: the members' buffers of the op being gathered. */
class InProcessHub {
  readonly worldSize: number;
  /** Sequence number of the op being gathered; pending[r] is rank r's contribution to it. */
  private op = 0;
  private pending: (Pending | undefined)[];
  private broken: CollectiveError | undefined;

  constructor(worldSize: number) {
    this.worldSize = worldSize;
    this.pending = new Array<Pending | undefined>(worldSize).fill(undefined);
  }

  /** Rank `rank` contributes `buf` to the current op; resolves when every rank has and the sum is written. */
  contribute(rank: number, buf: Float32Array, signal: AbortSignal | undefined): Promise<void> {
    const where = { rank, op: this.op, phase: 'setup' as const };
    if (this.broken) {
      return Promise.reject(
        new CollectiveError(`the group is broken (${this.broken.message})`, where, { cause: this.broken }),
      );
    }
    if (signal?.aborted) {
      this.breakGroup(new CollectiveError(`aborted by rank ${rank}`, where, { cause: signal.reason }));
      return Promise.reject(this.broken);
    }
    if (this.pending[rank]) {
      return Promise.reject(new CollectiveError('rank contributed twice to one op', where));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending[rank] = { buf, resolve, reject };
      signal?.addEventListener(
        'abort',
        () => {
          this.breakGroup(new CollectiveError(`aborted by rank ${rank}`, where, { cause: signal.reason }));
        },
        { once: true },
      );
      if (this.pending.every((p) => p !== undefined)) this.complete();
    });
  }

  /** Fails the op for every waiting member and refuses later ops. */
  breakGroup(err: CollectiveError): void {
    if (this.broken) return;
    this.broken = err;
    const waiting = this.pending;
    this.pending = new Array<Pending | undefined>(this.worldSize).fill(undefined);
    for (const p of waiting) p?.reject(err);
  }

  private complete(): void {
    const members = this.pending as Pending[];
    this.pending = new Array<Pending | undefined>(this.worldSize).fill(undefined);
    const op = this.op++;
    const length = members[0].buf.length;
    const odd = members.findIndex((m) => m.buf.length !== length);
    if (odd >= 0) {
      const err = new CollectiveError(
        `buffer lengths differ: rank 0 has ${length} elements, rank ${odd} has ${members[odd].buf.length}`,
        { rank: odd, op, phase: 'setup' },
      );
      this.broken = err;
      for (const m of members) m.reject(err);
      return;
    }
    ringOrderSum(members.map((m) => m.buf));
    for (const m of members) m.resolve();
  }
}

export class InProcessCollective implements Collective {
  readonly rank: number;
  readonly worldSize: number;
  private readonly hub: InProcessHub;
  /** Serialises this member's ops in call order. */
  private readonly queue = new SerialQueue();
  /** Ops this member has started, for error messages. */
  private ops = 0;
  private closed = false;

  private constructor(hub: InProcessHub, rank: number) {
    this.hub = hub;
    this.rank = rank;
    this.worldSize = hub.worldSize;
  }

  /** Creates the `worldSize` members of one group, indexed by rank. */
  static group(worldSize: number): InProcessCollective[] {
    if (!Number.isInteger(worldSize) || worldSize < 1) {
      throw new RangeError(`InProcessCollective.group: worldSize must be an integer >= 1, got ${worldSize}`);
    }
    const hub = new InProcessHub(worldSize);
    return Array.from({ length: worldSize }, (_, rank) => new InProcessCollective(hub, rank));
  }

  allreduce(buf: Float32Array, opts: AllreduceOptions = {}): Promise<void> {
    const run = (): Promise<void> => {
      const op = this.ops++;
      if (this.closed)
        return Promise.reject(new CollectiveError('collective is closed', { rank: this.rank, op, phase: 'setup' }));
      return this.hub.contribute(this.rank, buf, opts.signal);
    };
    return this.queue.run(run);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.breakGroup(
      new CollectiveError('a member closed the group', { rank: this.rank, op: this.ops, phase: 'setup' }),
    );
  }
}
