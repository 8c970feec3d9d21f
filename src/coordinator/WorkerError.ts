/** A worker's call failed: names the rank and address, and what it was asked to do. */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(readonly rank: number, readonly address: string, readonly call: string, cause: unknown) {
    super(`worker rank ${rank} (${address}) failed in ${call}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Replicas that should be identical are not: names the ranks that disagree with rank 0. */
export class ReplicaMismatchError extends Error {
  override name = 'ReplicaMismatchError';
}
