/**
 * Ring allreduce over TCP: reduce-scatter then all-gather, N-1 rounds each, between a rank and its ring
 * neighbours. Each round's segment is cut into chunks; chunk k of a round is sent to the right neighbour (over
 * one RingLink, a TCP or TLS stream of length-prefixed frames) as soon as chunk k of the previous round has
 * arrived from the left one (and been summed), with a bounded number of sends in flight, so sending, receiving
 * and summing overlap. Chunks are raw little-endian float32 bytes, written from the caller's buffer.
 *
 * Determinism: every segment is summed once, in ring order, by the chain of ranks that reduce it; the
 * all-gather then copies those bytes to every rank. All ranks end with bit-identical buffers, and the same
 * bytes as InProcessCollective / ringOrderSum for the same inputs.
 */
import { ENV_SETTINGS } from '../../shared/config/index.js';
import { SerialQueue } from './SerialQueue.js';
import type { AllreduceOptions, Collective } from './Collective.js';
import { CollectiveError, describePeer, type CollectivePhase } from './CollectiveError.js';
import { InflightWindow } from './InflightWindow.js';
import type { RingInbox } from './RingInbox.js';
import { RingReceiver } from './RingReceiver.js';
import type { RingServer } from './RingServer.js';
import { assertLittleEndianHost, bytesOf } from './float32Bytes.js';
import { MAX_CHUNK_BYTES } from './ringFrames.js';
import { RingLink, RingLinkError } from './RingLink.js';
import {
  REDUCE_SCATTER,
  chunkCount,
  chunkSpan,
  phaseRoundOf,
  segmentSpan,
  sendSegment,
  stepCount,
  type RingPhase,
  type Span,
} from './ringSchedule.js';

export interface RingTuning {
  /** Bytes of float32 data per chunk frame (a multiple of 4, at most 16 MiB). Default 1 MiB (see bench:allreduce). */
  chunkBytes?: number;
  /** Chunk sends in flight (written, not yet handed to the kernel) to the right neighbour at once. Default 4. */
  maxInflightChunks?: number;
  /** TCP connections to the right neighbour, chunks dealt round-robin over them. Default 1. */
  connections?: number;
  /** Deadline of connecting to the right neighbour, and of every chunk send, in ms. Default 30000. */
  sendDeadlineMs?: number;
  /** An op fails when no chunk arrives from the left neighbour for this long, in ms. Default: SUPERCONVERGE_RING_PEER_TIMEOUT_MS's. */
  peerTimeoutMs?: number;
}

export interface RingCollectiveOptions extends RingTuning {
  /** This rank's ring server (RingServer.listen), already bound. The collective does not close it. */
  server: RingServer;
  /** The ring's id (the run id, or a Reform's ring id): links carry it; chunks of another ring are refused. */
  runId: string;
  rank: number;
  worldSize: number;
  /** host:port of every rank's ring server, indexed by rank. */
  addresses: readonly string[];
}

export const DEFAULT_RING_TUNING: Required<RingTuning> = {
  chunkBytes: 1024 * 1024,
  maxInflightChunks: 4,
  connections: 1,
  sendDeadlineMs: 30_000,
  peerTimeoutMs: ENV_SETTINGS.ringPeerTimeoutMs.default,
};

function phaseName(phase: RingPhase): CollectivePhase {
  return phase === REDUCE_SCATTER ? 'reduce-scatter' : 'all-gather';
}

export class RingCollective implements Collective {
  readonly rank: number;
  readonly worldSize: number;
  readonly runId: string;
  readonly addresses: readonly string[];
  readonly tuning: Readonly<Required<RingTuning>>;
  private readonly chunkElems: number;
  private readonly server: RingServer;
  private readonly receiver: RingReceiver;
  /** The connection to the right neighbour, opened by the first op. */
  private link: Promise<RingLink> | undefined;
  private readonly leftRank: number;
  private readonly rightRank: number;
  /** Sequence number of the next op. */
  private nextOp = 0;
  /** Serialises ops in call order. */
  private readonly queue = new SerialQueue();
  private broken: CollectiveError | undefined;
  private closed = false;
  /** Fails the op in flight; undefined between ops. */
  private failOp: ((err: CollectiveError) => void) | undefined;
  /** The phase and round of the op in flight's latest chunk sent (a refusal arrives after its send completed). */
  private sending: { phase: CollectivePhase; round: number } | undefined;

  constructor(opts: RingCollectiveOptions) {
    assertLittleEndianHost();
    const { rank, worldSize, addresses } = opts;
    if (!Number.isInteger(worldSize) || worldSize < 1)
      throw new RangeError(`ring worldSize must be an integer >= 1, got ${worldSize}`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize)
      throw new RangeError(`ring rank ${rank} is not in 0..${worldSize - 1}`);
    if (addresses.length !== worldSize) {
      throw new RangeError(
        `ring needs one address per rank: worldSize ${worldSize}, got ${addresses.length} addresses`,
      );
    }
    const tuning = { ...DEFAULT_RING_TUNING, ...stripUndefined(opts) };
    if (
      !Number.isInteger(tuning.chunkBytes) ||
      tuning.chunkBytes < 4 ||
      tuning.chunkBytes % 4 !== 0 ||
      tuning.chunkBytes > MAX_CHUNK_BYTES
    ) {
      throw new RangeError(
        `ring chunkBytes must be a multiple of 4 in 4..${MAX_CHUNK_BYTES}, got ${tuning.chunkBytes}`,
      );
    }
    for (const key of ['maxInflightChunks', 'connections'] as const) {
      if (!Number.isInteger(tuning[key]) || tuning[key] < 1)
        throw new RangeError(`ring ${key} must be an integer >= 1, got ${tuning[key]}`);
    }
    for (const key of ['sendDeadlineMs', 'peerTimeoutMs'] as const) {
      if (!(tuning[key] > 0)) throw new RangeError(`ring ${key} must be > 0, got ${tuning[key]}`);
    }
    this.rank = rank;
    this.worldSize = worldSize;
    this.runId = opts.runId;
    this.addresses = [...addresses];
    this.tuning = tuning;
    this.chunkElems = tuning.chunkBytes / 4;
    this.server = opts.server;
    this.leftRank = (rank - 1 + worldSize) % worldSize;
    this.rightRank = (rank + 1) % worldSize;
    this.receiver = new RingReceiver({ runId: opts.runId, rank, worldSize, chunkElems: this.chunkElems });
    this.server.attach(this.receiver);
  }

  allreduce(buf: Float32Array, opts: AllreduceOptions = {}): Promise<void> {
    const run = (): Promise<void> => this.runOp(this.nextOp++, buf, opts.signal);
    return this.queue.run(run);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.breakRing(
      new CollectiveError('the collective was closed', { rank: this.rank, op: this.nextOp, phase: 'setup' }),
    );
    this.server.detach(this.receiver);
    this.link?.then(
      (l) => l.close(),
      () => undefined,
    );
  }

  private async runOp(op: number, buf: Float32Array, signal: AbortSignal | undefined): Promise<void> {
    const setup = { rank: this.rank, op, phase: 'setup' as const };
    if (this.broken)
      throw new CollectiveError(`the ring is broken (${this.broken.message})`, setup, { cause: this.broken });
    if (signal?.aborted) {
      const err = new CollectiveError('aborted by the caller before it started', setup, { cause: signal.reason });
      this.breakRing(err);
      throw err;
    }
    if (this.worldSize === 1) return;
    let opened: RingInbox | string;
    try {
      opened = this.receiver.open(op, buf);
    } catch (err) {
      const cause = new CollectiveError(err instanceof Error ? err.message : String(err), setup, { cause: err });
      this.breakRing(cause);
      throw cause;
    }
    if (typeof opened === 'string') {
      const err = new CollectiveError(opened, {
        ...setup,
        peerRank: this.leftRank,
        peerAddress: this.addresses[this.leftRank],
      });
      this.breakRing(err);
      throw err;
    }
    const inbox = opened;

    let failure: CollectiveError | undefined;
    let rejectFailed: (err: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      rejectFailed = reject;
    });
    failed.catch(() => undefined); // observed through `failure` and the races below
    const fail = (err: CollectiveError): void => {
      if (failure) return;
      failure = err;
      inbox.fail(err);
      rejectFailed(err);
    };
    const onAbort = (): void => fail(new CollectiveError('aborted by the caller', setup, { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });
    const watchdog = this.watch(op, inbox, fail, () => failure !== undefined);
    try {
      const link = await Promise.race([this.connectRight(op, fail), failed]);
      const window = new InflightWindow(this.tuning.maxInflightChunks);
      await Promise.race([this.sendAll(op, buf, inbox, link, window, fail, () => failure !== undefined), failed]);
      await Promise.race([window.drained(), failed]);
      await Promise.race([inbox.whenComplete(), failed]);
      if (failure) throw failure;
      this.receiver.finish(op);
    } catch (err) {
      const cause =
        failure ??
        (err instanceof CollectiveError
          ? err
          : new CollectiveError(err instanceof Error ? err.message : String(err), setup, { cause: err }));
      this.breakRing(cause);
      throw cause;
    } finally {
      this.failOp = undefined;
      this.sending = undefined;
      watchdog.stop();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The link to the right neighbour, connected by the first op and kept for the next ones. A link that fails (at
   * connect, or later: refused, closed, deadline) fails the op in flight, and the ring stays broken.
   */
  private connectRight(op: number, fail: (err: CollectiveError) => void): Promise<RingLink> {
    if (!this.link) {
      const where = { rank: this.rank, op, phase: 'reduce-scatter' as const, round: 0 };
      this.link = RingLink.connect({
        address: this.addresses[this.rightRank],
        ringId: this.runId,
        fromRank: this.rank,
        deadlineMs: this.tuning.sendDeadlineMs,
        connections: this.tuning.connections,
      }).then(
        (link) => {
          if (this.closed) link.close();
          // A failure between ops, or during one, fails the op in flight (or the next one, at its first send).
          // (After the sends it rejected have reported it, with their phase and round.)
          link.onFailure((err) =>
            setImmediate(() =>
              this.failOp?.(
                new CollectiveError(
                  this.describeLinkFailure(err),
                  this.atRight({ rank: this.rank, op: this.nextOp - 1, phase: 'setup', ...this.sending }),
                  { cause: err },
                ),
              ),
            ),
          );
          return link;
        },
        (err: RingLinkError) => {
          throw new CollectiveError(this.describeLinkFailure(err), this.atRight(where), { cause: err });
        },
      );
    }
    this.failOp = fail;
    return this.link;
  }

  private atRight(where: {
    rank: number;
    op: number;
    phase: CollectivePhase;
    round?: number;
  }): ConstructorParameters<typeof CollectiveError>[1] {
    return { ...where, peerRank: this.rightRank, peerAddress: this.addresses[this.rightRank] };
  }

  /** Sends every chunk of every step, each once its source chunk has arrived, within the in-flight window. */
  private async sendAll(
    op: number,
    buf: Float32Array,
    inbox: RingInbox,
    link: RingLink,
    window: InflightWindow,
    fail: (err: CollectiveError) => void,
    hasFailed: () => boolean,
  ): Promise<void> {
    const n = this.worldSize;
    for (let step = 0; step < stepCount(n); step++) {
      const { phase, round } = phaseRoundOf(step, n);
      const span = segmentSpan(buf.length, n, sendSegment(this.rank, step, n));
      const chunks = chunkCount(span, this.chunkElems);
      for (let k = 0; k < chunks; k++) {
        if (step > 0) {
          const arrived = inbox.whenReceived(step - 1, k);
          if (arrived) await arrived;
        }
        const slot = window.acquire();
        if (slot) await slot;
        if (hasFailed()) {
          window.release();
          return;
        }
        this.sending = { phase: phaseName(phase), round };
        this.push(link, op, phase, round, chunkSpan(span, k, this.chunkElems), buf).then(
          () => window.release(),
          (err: CollectiveError) => {
            window.release();
            fail(err);
          },
        );
      }
    }
  }

  private push(
    link: RingLink,
    op: number,
    phase: RingPhase,
    round: number,
    chunk: Span,
    buf: Float32Array,
  ): Promise<void> {
    // A view, not a copy: the ring order guarantees this region is not overwritten before the right neighbour
    // has received it, and the op does not end before every send has left this process (window.drained()).
    return link
      .send({ op, phase, round, offset: chunk.start, length: buf.length }, bytesOf(buf, chunk.start, chunk.end))
      .catch((err: RingLinkError) => {
        throw new CollectiveError(
          this.describeLinkFailure(err, chunk),
          this.atRight({ rank: this.rank, op, phase: phaseName(phase), round }),
          { cause: err },
        );
      });
  }

  private describeLinkFailure(err: RingLinkError, chunk?: Span): string {
    const peer = `right neighbour ${describePeer(this.rightRank, this.addresses[this.rightRank])}`;
    const what = chunk ? ` (sending the chunk [${chunk.start}, ${chunk.end}))` : '';
    switch (err.kind) {
      case 'unreachable':
        return `${peer} ${err.message}`;
      case 'refused':
        return `${peer} ${err.message}${what}`;
      case 'deadline':
        return `${peer} ${err.message}${what}`;
      default:
        return `the connection to ${peer} ${err.message}${what}`;
    }
  }

  /** Fails the op when nothing arrives from the left neighbour for peerTimeoutMs. */
  private watch(
    op: number,
    inbox: RingInbox,
    fail: (err: CollectiveError) => void,
    hasFailed: () => boolean,
  ): { stop(): void } {
    const timeoutMs = this.tuning.peerTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const check = (): void => {
      if (inbox.complete || hasFailed()) return;
      const idle = performance.now() - inbox.lastProgress;
      if (idle < timeoutMs) {
        timer = setTimeout(check, timeoutMs - idle);
        return;
      }
      const { phase, round } = phaseRoundOf(Math.max(0, inbox.firstIncompleteStep()), this.worldSize);
      const peer = `left neighbour ${describePeer(this.leftRank, this.addresses[this.leftRank])}`;
      fail(
        new CollectiveError(
          `no chunk from ${peer} for ${Math.round(idle)} ms (peer timeout ${timeoutMs} ms): it, or a rank before it in the ring, has stopped`,
          {
            rank: this.rank,
            op,
            phase: phaseName(phase),
            round,
            peerRank: this.leftRank,
            peerAddress: this.addresses[this.leftRank],
          },
        ),
      );
    };
    timer = setTimeout(check, timeoutMs);
    return { stop: () => clearTimeout(timer) };
  }

  private breakRing(err: CollectiveError): void {
    this.broken ??= err;
    this.receiver.breakWith(err);
  }
}

function stripUndefined(opts: RingTuning): RingTuning {
  const out: RingTuning = {};
  for (const key of ['chunkBytes', 'maxInflightChunks', 'connections', 'sendDeadlineMs', 'peerTimeoutMs'] as const) {
    if (opts[key] !== undefined) out[key] = opts[key];
  }
  return out;
}
