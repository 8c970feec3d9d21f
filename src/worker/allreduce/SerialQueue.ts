/**
 * Runs async operations one after another, in the order they were queued, whatever each one's outcome: a
 * collective's ops must run in call order on every rank.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Queues `op`; the caller gets its result (and its error), and the next op starts once it settles. */
  run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op, op);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
