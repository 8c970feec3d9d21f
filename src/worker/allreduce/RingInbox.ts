/**
 * The inbound side of one ring op on one rank: which chunks it expects from its left neighbour at every step,
 * which have arrived, and where they go. Chunks that arrive before the local op has started (a neighbour runs
 * ahead) are kept and applied, in step order, when the local buffer is attached.
 */
import { addBytesInto, copyBytesInto } from './float32Bytes.js';
import {
  REDUCE_SCATTER,
  chunkCount,
  chunkSpan,
  phaseRoundOf,
  recvSegment,
  segmentSpan,
  stepCount,
  type Span,
} from './ringSchedule.js';

interface Stashed {
  step: number;
  start: number;
  /** A copy of the chunk's bytes. */
  data: Uint8Array;
}

export interface InboxPlan {
  op: number;
  /** float32 elements in the op's buffer. */
  length: number;
  /** The receiving rank. */
  rank: number;
  worldSize: number;
  chunkElems: number;
}

export class RingInbox {
  readonly op: number;
  readonly length: number;
  private readonly plan: InboxPlan;
  private readonly spans: Span[];
  /** Per step, the indices of the chunks that have arrived (a Set: no allocation sized by a claimed length). */
  private readonly received: Set<number>[];
  private readonly chunksPerStep: number[];
  private readonly maxChunks: number;
  private readonly expected: number;
  private arrived = 0;
  private buf: Float32Array | undefined;
  private stash: Stashed[] = [];
  private readonly waiters = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private completion: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;
  /** performance.now() of the last chunk that arrived (or of the inbox's creation). */
  lastProgress = performance.now();

  constructor(plan: InboxPlan) {
    this.plan = plan;
    this.op = plan.op;
    this.length = plan.length;
    const steps = stepCount(plan.worldSize);
    this.spans = Array.from({ length: steps }, (_, s) =>
      segmentSpan(plan.length, plan.worldSize, recvSegment(plan.rank, s, plan.worldSize)),
    );
    this.chunksPerStep = this.spans.map((span) => chunkCount(span, plan.chunkElems));
    this.received = this.chunksPerStep.map(() => new Set<number>());
    this.maxChunks = Math.max(1, ...this.chunksPerStep);
    this.expected = this.chunksPerStep.reduce((a, b) => a + b, 0);
  }

  /**
   * Why a chunk (step, offset, n elements) does not fit this op, or the chunk's index when it does.
   * The caller answers INVALID_ARGUMENT with the string.
   */
  check(step: number, offset: number, n: number): number | string {
    const span = this.spans[step];
    const { chunkElems } = this.plan;
    const k = (offset - span.start) / chunkElems;
    if (offset < span.start || offset >= span.end || !Number.isInteger(k)) {
      const { phase, round } = phaseRoundOf(step, this.plan.worldSize);
      const phaseName = phase === REDUCE_SCATTER ? 'reduce-scatter' : 'all-gather';
      return (
        `offset ${offset} is not a chunk start of the segment [${span.start}, ${span.end}) expected at ` +
        `op ${this.op} ${phaseName} round ${round} (chunks of ${chunkElems} elements)`
      );
    }
    const want = chunkSpan(span, k, chunkElems);
    if (n !== want.end - want.start) {
      return `chunk at offset ${offset} has ${n} elements, expected ${want.end - want.start}`;
    }
    if (this.received[step].has(k))
      return `duplicate chunk: op ${this.op} step ${step} offset ${offset} already arrived`;
    return k;
  }

  /**
   * Takes chunk k of `step` (already checked): applies `data` (valid during the call) if the buffer is attached,
   * keeps a copy otherwise.
   */
  accept(step: number, k: number, offset: number, data: Uint8Array): void {
    this.received[step].add(k);
    this.arrived++;
    this.lastProgress = performance.now();
    if (this.buf) this.apply(step, offset, data);
    else this.stash.push({ step, start: offset, data: data.slice() });
    this.waiters.get(step * this.maxChunks + k)?.resolve();
    this.waiters.delete(step * this.maxChunks + k);
    if (this.arrived === this.expected) this.completion?.resolve();
  }

  /** The local op starts: chunks from now on go straight into `buf`; kept ones are applied in step order. */
  attach(buf: Float32Array): void {
    this.buf = buf;
    this.lastProgress = performance.now();
    const kept = this.stash.sort((a, b) => a.step - b.step);
    this.stash = [];
    for (const c of kept) this.apply(c.step, c.start, c.data);
  }

  /** Resolves when chunk k of `step` has arrived; undefined when it already has. */
  whenReceived(step: number, k: number): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.received[step].has(k)) return undefined;
    const key = step * this.maxChunks + k;
    return new Promise<void>((resolve, reject) => this.waiters.set(key, { resolve, reject }));
  }

  /** Resolves when every chunk of every step has arrived. */
  whenComplete(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.arrived === this.expected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.completion = { resolve, reject };
    });
  }

  get complete(): boolean {
    return this.arrived === this.expected;
  }

  /** The first step with a chunk still missing (for error messages); -1 when complete. */
  firstIncompleteStep(): number {
    return this.received.findIndex((got, step) => got.size < this.chunksPerStep[step]);
  }

  /** Rejects everything waiting on this inbox. */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters.values()) w.reject(err);
    this.waiters.clear();
    this.completion?.reject(err);
  }

  private apply(step: number, offset: number, data: Uint8Array): void {
    const buf = this.buf as Float32Array;
    if (step < this.plan.worldSize - 1) addBytesInto(buf, offset, data);
    else copyBytesInto(buf, offset, data);
  }
}
