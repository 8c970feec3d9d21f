/** Bounds how many pushes are in flight at once: acquire() waits for a free slot, release() frees one. */
export class InflightWindow {
  private inflight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idle: (() => void)[] = [];
  readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  /** Resolves when a slot is free (and takes it). */
  acquire(): Promise<void> | undefined {
    if (this.inflight < this.size) {
      this.inflight++;
      return undefined;
    }
    return new Promise<void>((resolve) =>
      this.waiting.push(() => {
        this.inflight++;
        resolve();
      }),
    );
  }

  release(): void {
    this.inflight--;
    const next = this.waiting.shift();
    if (next) next();
    else if (this.inflight === 0) for (const done of this.idle.splice(0)) done();
  }

  /** Resolves when nothing is in flight. */
  drained(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
