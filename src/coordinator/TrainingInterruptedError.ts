/**
 * The run was asked to stop (Ctrl-C, SIGTERM: the `signal` of fit and lrFind) and stopped after the step in flight:
 * fit checkpoints that step and wraps this error in a RunInterruptedError that names the checkpoint and the command
 * that continues the run; lrFind puts the model back first.
 */
export class TrainingInterruptedError extends Error {
  override name = 'TrainingInterruptedError';
  constructor(readonly nextIteration: number, readonly why: string) {
    super(`interrupted (${why}) after step ${nextIteration - 1}`);
  }

  /** The interruption that `e` is or wraps (fit's RunInterruptedError), if it is one. */
  static of(e: unknown): TrainingInterruptedError | undefined {
    if (e instanceof TrainingInterruptedError) return e;
    return e instanceof Error && e.cause instanceof TrainingInterruptedError ? e.cause : undefined;
  }
}
