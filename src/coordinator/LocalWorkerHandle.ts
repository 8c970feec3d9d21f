import type { TrainingWorker } from '../worker/index.js';
import type { WorkerHandle } from './WorkerHandle.js';

/** A worker in the coordinator's own thread: the same calls as over gRPC, without the wire. */
export class LocalWorkerHandle implements WorkerHandle {
  readonly address = 'in-process';
  constructor(
    readonly rank: number,
    private readonly worker: TrainingWorker,
  ) {}
  configure: WorkerHandle['configure'] = (req) => this.worker.configure(req);
  step: WorkerHandle['step'] = (req) => this.worker.step(req);
  evaluate: WorkerHandle['evaluate'] = (req) => this.worker.evaluate(req);
  checksum: WorkerHandle['checksum'] = async (runId) => this.worker.checksum(runId);
  syncBuffers: WorkerHandle['syncBuffers'] = (runId) => this.worker.syncBuffers(runId);
  getState: WorkerHandle['getState'] = async (runId) => this.worker.getState(runId);
  setState: WorkerHandle['setState'] = async (state) => this.worker.setState(state);
  exportModel: WorkerHandle['exportModel'] = (runId) => this.worker.exportModel(runId);
  shutdown: WorkerHandle['shutdown'] = () => this.worker.shutdown();
  abort: WorkerHandle['abort'] = (req) => this.worker.abort(req);
  reform: WorkerHandle['reform'] = (req) => this.worker.reform(req);
}
