/** The loss of a step came back NaN or infinite: the run stops before checkpointing that step. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(readonly iteration: number, readonly loss: number, readonly lr: number) {
    super(`the training loss is ${loss} at step ${iteration} (lr ${lr}): stopping (pass --continue-on-nan to go on)`);
  }
}
