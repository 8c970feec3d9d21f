import path from 'node:path';

/**
 * Training stopped on an error (a dead or hung worker, a NaN loss): says what happened, which checkpoint is the
 * last one, and the command that continues the run from it.
 */
export class RunInterruptedError extends Error {
  override name = 'RunInterruptedError';
  /** When the failure reached the training loop (Date.now()), to measure detection times. */
  readonly at = Date.now();
  constructor(cause: unknown, readonly runDir: string, readonly lastCheckpoint: string | undefined) {
    const what = cause instanceof Error ? cause.message : String(cause);
    const next = lastCheckpoint
      ? `the last checkpoint is ${path.relative(runDir, lastCheckpoint)}; continue with: superconverge fit --resume ${runDir}`
      : 'no checkpoint was written yet (start the run again)';
    super(`${what}\n${next}`, { cause });
  }
}
