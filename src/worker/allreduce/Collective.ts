/**
 * The collective a data-parallel replica uses to combine its gradients with the other replicas'.
 * Horovod-style separation: a Collective only moves and sums float32 bytes. Who calls it when, and what the
 * sum means (averaging, which buffers), is the caller's business.
 */

/** Options of one allreduce call. */
export interface AllreduceOptions {
  /** Aborts this op. An aborted op leaves the collective broken (the peers are mid-op); close it and rebuild. */
  signal?: AbortSignal;
}

export interface Collective {
  /** This member's position in the ring, 0 .. worldSize-1. */
  readonly rank: number;
  /** How many members take part in every op. */
  readonly worldSize: number;
  /**
   * Replaces `buf` in place with the element-wise sum of every member's `buf`. Every member must call it the
   * same number of times, in the same order, with buffers of the same length. Calls on one member are run one
   * after another in call order. After it resolves, `buf` holds bytes identical on every member.
   * A failed op (peer gone, timeout, abort, mismatched lengths) rejects with a CollectiveError and leaves the
   * collective broken: later calls reject with the same cause.
   */
  allreduce(buf: Float32Array, opts?: AllreduceOptions): Promise<void>;
  /** Releases the member's resources; pending and later ops reject. Idempotent. */
  close(): Promise<void>;
}
