/**
 * One rank's inbound side of a ring session: checks every chunk its ring server receives against the session
 * (run id, sender, op sequence, phase/round, offset and length) and routes it to the op's inbox. Ops run one at
 * a time; a neighbour can be at most one op ahead, so chunks for the current op and the next are accepted and
 * anything else is refused.
 */
import { RingInbox } from './RingInbox.js';
import { ALL_GATHER, REDUCE_SCATTER, stepOf } from './ringSchedule.js';

/** The most elements a Float32Array can have (2^32 - 1 in V8), so the most an op's buffer can have. */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** One chunk's header as received, with the connection's ring id and sender. */
export interface ChunkArrival {
  runId: string;
  fromRank: number;
  op: number;
  phase: number;
  round: number;
  /** First element of the chunk within the op's buffer. */
  offset: number;
  /** Elements in the op's whole buffer. */
  length: number;
  /** Bytes of float32 data the frame carries. */
  dataBytes: number;
}

export interface RingReceiverOptions {
  runId: string;
  rank: number;
  worldSize: number;
  chunkElems: number;
}

export class RingReceiver {
  readonly runId: string;
  readonly rank: number;
  readonly worldSize: number;
  readonly leftRank: number;
  private readonly chunkElems: number;
  /** The op the local side is running, or will run next. */
  private current = 0;
  private readonly inboxes = new Map<number, RingInbox>();
  private broken: Error | undefined;

  constructor(opts: RingReceiverOptions) {
    this.runId = opts.runId;
    this.rank = opts.rank;
    this.worldSize = opts.worldSize;
    this.leftRank = (opts.rank - 1 + opts.worldSize) % opts.worldSize;
    this.chunkElems = opts.chunkElems;
  }

  /**
   * Why a chunk with this header is refused (one line), or undefined when it fits: called on the header, before
   * any of the chunk's data is read, and again by take() once the data is in (the op may have moved on meanwhile).
   */
  check(msg: ChunkArrival): string | undefined {
    const checked = this.admit(msg);
    return typeof checked === 'string' ? checked : undefined;
  }

  /**
   * Checks one whole chunk again and takes it: `data` (msg.dataBytes of little-endian float32, 4-byte aligned,
   * valid during the call) is applied to the op's buffer, or kept until the op starts. Returns the refusal, or
   * undefined when taken.
   */
  take(msg: ChunkArrival, data: Uint8Array): string | undefined {
    if (data.byteLength !== msg.dataBytes)
      return `rank ${this.rank}: chunk data is ${data.byteLength} bytes, its header says ${msg.dataBytes}`;
    const checked = this.admit(msg);
    if (typeof checked === 'string') return checked;
    const { box, step, k } = checked;
    if (!this.inboxes.has(msg.op)) this.inboxes.set(msg.op, box);
    box.accept(step, k, msg.offset, data);
    return undefined;
  }

  /** The checks of check(): the refusal, or the op's inbox (new when this is its first chunk), step and chunk index. */
  private admit(msg: ChunkArrival): string | { box: RingInbox; step: number; k: number } {
    const invalid = (details: string): string => `rank ${this.rank}: ${details}`;
    if (this.broken) return `rank ${this.rank} takes no chunks: its ring is broken (${this.broken.message})`;
    if (msg.runId !== this.runId) return invalid(`chunk for run '${msg.runId}', this ring runs '${this.runId}'`);
    if (msg.fromRank !== this.leftRank) {
      return invalid(
        `chunk from rank ${msg.fromRank}, only the left neighbour rank ${this.leftRank} sends to this rank`,
      );
    }
    if (msg.phase !== REDUCE_SCATTER && msg.phase !== ALL_GATHER)
      return invalid(`phase ${msg.phase} is neither 0 (reduce-scatter) nor 1 (all-gather)`);
    if (msg.round >= this.worldSize - 1)
      return invalid(`round ${msg.round} out of range for world size ${this.worldSize} (0..${this.worldSize - 2})`);
    const bytes = msg.dataBytes;
    if (bytes === 0 || bytes % 4 !== 0)
      return invalid(`chunk data is ${bytes} bytes, expected a positive multiple of 4 (float32)`);
    const n = bytes / 4;
    if (!Number.isSafeInteger(msg.length) || msg.length > MAX_ELEMENTS) {
      return invalid(`chunk says the op has ${msg.length} elements, more than a Float32Array holds (${MAX_ELEMENTS})`);
    }
    if (!Number.isSafeInteger(msg.offset) || msg.offset + n > msg.length) {
      return invalid(`chunk [${msg.offset}, ${msg.offset + n}) does not lie within the op's ${msg.length} elements`);
    }
    if (msg.op !== this.current && msg.op !== this.current + 1) {
      return invalid(
        `chunk for op ${msg.op}, this rank is at op ${this.current} and takes only ops ${this.current} and ${this.current + 1}`,
      );
    }
    const inbox = this.inboxes.get(msg.op);
    if (inbox && inbox.length !== msg.length) {
      return invalid(`chunk says op ${msg.op} has ${msg.length} elements, this rank's op has ${inbox.length}`);
    }
    const box = inbox ?? this.inboxFor(msg.op, msg.length);
    const step = stepOf(msg.phase, msg.round, this.worldSize);
    const k = box.check(step, msg.offset, n);
    if (typeof k === 'string') return invalid(k);
    return { box, step, k };
  }

  /**
   * The local side starts op `op` on `buf`. Returns its inbox (with any early chunks applied), or the reason the
   * left neighbour's early chunks do not fit `buf`.
   */
  open(op: number, buf: Float32Array): RingInbox | string {
    if (this.broken) throw this.broken;
    if (op !== this.current) throw new Error(`rank ${this.rank}: opening op ${op} while at op ${this.current}`);
    const early = this.inboxes.get(op);
    if (early && early.length !== buf.length) {
      return `the left neighbour sent op ${op} chunks for ${early.length} elements, this rank's buffer has ${buf.length}`;
    }
    const box = early ?? this.inboxFor(op, buf.length);
    this.inboxes.set(op, box);
    box.attach(buf);
    return box;
  }

  /** The local side finished `op`: the next op becomes current. */
  finish(op: number): void {
    this.inboxes.delete(op);
    this.current = op + 1;
  }

  /** Refuses every later chunk and fails whatever waits on an inbox. */
  breakWith(err: Error): void {
    if (this.broken) return;
    this.broken = err;
    for (const box of this.inboxes.values()) box.fail(err);
    this.inboxes.clear();
  }

  private inboxFor(op: number, length: number): RingInbox {
    return new RingInbox({ op, length, rank: this.rank, worldSize: this.worldSize, chunkElems: this.chunkElems });
  }
}
