/** fastai's debiased exponential moving average: avg = b*avg + (1-b)*x; smooth = avg / (1 - b^n). */
export class SmoothLoss {
  private avg = 0;
  private n = 0;
  constructor(private readonly beta = 0.98) {}
  add(x: number): number {
    this.n += 1;
    this.avg = this.beta * this.avg + (1 - this.beta) * x;
    return this.avg / (1 - Math.pow(this.beta, this.n));
  }
  /** The running average and count, for a checkpoint. */
  get state(): { avg: number; n: number } {
    return { avg: this.avg, n: this.n };
  }
  /** Continues from a checkpoint's state. */
  restore(s: { avg: number; n: number }): this {
    this.avg = s.avg;
    this.n = s.n;
    return this;
  }
}
