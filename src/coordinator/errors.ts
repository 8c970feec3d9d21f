import path from 'node:path';

/** The coordinator's errors: each message says what happened and, where there is one, what to do. */

/** A worker's call failed: names the rank and address, and what it was asked to do. */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(
    readonly rank: number,
    readonly address: string,
    readonly call: string,
    cause: unknown,
  ) {
    super(
      `worker rank ${rank} (${address}) failed in ${call}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** Replicas that should be identical are not: names the ranks that disagree with rank 0. */
export class ReplicaMismatchError extends Error {
  override name = 'ReplicaMismatchError';
}

/** The loss of a step came back NaN or infinite: the run stops before checkpointing that step. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    readonly iteration: number,
    readonly loss: number,
    readonly lr: number,
  ) {
    super(`the training loss is ${loss} at step ${iteration} (lr ${lr}): stopping (pass --continue-on-nan to go on)`);
  }
}

/**
 * Training stopped on an error (a dead or hung worker, a NaN loss): says what happened, which checkpoint is the
 * last one, and the command that continues the run from it.
 */
export class RunInterruptedError extends Error {
  override name = 'RunInterruptedError';
  /** When the failure reached the training loop (Date.now()), to measure detection times. */
  readonly at = Date.now();
  constructor(
    cause: unknown,
    readonly runDir: string,
    readonly lastCheckpoint: string | undefined,
  ) {
    const what = cause instanceof Error ? cause.message : String(cause);
    const next = lastCheckpoint
      ? `the last checkpoint is ${path.relative(runDir, lastCheckpoint)}; continue with: superconverge fit --resume ${runDir}`
      : 'no checkpoint was written yet (start the run again)';
    super(`${what}\n${next}`, { cause });
  }
}

/**
 * The run was asked to stop (Ctrl-C, SIGTERM: the `signal` of fit and lrFind) and stopped after the step in flight:
 * fit checkpoints that step and wraps this error in a RunInterruptedError that names the checkpoint and the command
 * that continues the run; lrFind puts the model back first.
 */
export class TrainingInterruptedError extends Error {
  override name = 'TrainingInterruptedError';
  constructor(
    readonly nextIteration: number,
    readonly why: string,
  ) {
    super(`interrupted (${why}) after step ${nextIteration - 1}`);
  }

  /** The interruption that `e` is or wraps (fit's RunInterruptedError), if it is one. */
  static of(e: unknown): TrainingInterruptedError | undefined {
    if (e instanceof TrainingInterruptedError) return e;
    return e instanceof Error && e.cause instanceof TrainingInterruptedError ? e.cause : undefined;
  }
}
