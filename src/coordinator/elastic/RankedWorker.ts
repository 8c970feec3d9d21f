import type { WorkerHandle } from '../WorkerHandle.js';

/** A worker under its rank in the current ring (--elastic renumbers the ring 0..N-1 whenever it is re-formed). */
export class RankedWorker implements WorkerHandle {
  constructor(
    readonly rank: number,
    readonly inner: WorkerHandle,
  ) {}
  get address(): string {
    return this.inner.address;
  }
  configure: WorkerHandle['configure'] = (req) => this.inner.configure(req);
  step: WorkerHandle['step'] = (req) => this.inner.step(req);
  evaluate: WorkerHandle['evaluate'] = (req) => this.inner.evaluate(req);
  checksum: WorkerHandle['checksum'] = (runId) => this.inner.checksum(runId);
  syncBuffers: WorkerHandle['syncBuffers'] = (runId) => this.inner.syncBuffers(runId);
  getState: WorkerHandle['getState'] = (runId) => this.inner.getState(runId);
  setState: WorkerHandle['setState'] = (state) => this.inner.setState(state);
  exportModel: WorkerHandle['exportModel'] = (runId) => this.inner.exportModel(runId);
  shutdown: WorkerHandle['shutdown'] = (runId, reason) => this.inner.shutdown(runId, reason);
  abort: WorkerHandle['abort'] = (req) => this.inner.abort(req);
  reform: WorkerHandle['reform'] = (req) => this.inner.reform(req);
}
