/**
 * The run was asked to stop (Ctrl-C, SIGTERM: fit's `signal`): the loop finished the step in flight, wrote a
 * checkpoint after it, and stops here. fit wraps it in a RunInterruptedError that names the checkpoint and the
 * command that continues the run.
 */
export class TrainingInterruptedError extends Error {
  override name = 'TrainingInterruptedError';
  constructor(readonly nextIteration: number, readonly why: string) {
    super(`interrupted (${why}) after step ${nextIteration - 1}`);
  }
}
