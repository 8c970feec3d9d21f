import * as grpc from '@grpc/grpc-js';
import { settings, settingVariable, type Settings } from '../shared/config/index.js';
import { loadProto } from '../shared/proto/loadProto.js';
import { workerChannelOptions } from '../shared/proto/workerChannelOptions.js';
import type { WorkerClient } from '../shared/proto/generated/superconverge/v1/Worker.js';
import type { WorkerHandle } from './WorkerHandle.js';

type DeadlineKey = 'configureDeadlineMs' | 'stepDeadlineMs' | 'evaluateDeadlineMs' | 'controlDeadlineMs' | 'stateDeadlineMs';

/**
 * A worker behind its Worker gRPC service. Every call has a deadline from settings() (SUPERCONVERGE_*_DEADLINE_MS);
 * a failure says what happened in one line (Cluster adds the rank and address).
 */
export class GrpcWorkerHandle implements WorkerHandle {
  private readonly client: WorkerClient;

  constructor(readonly rank: number, readonly address: string, private readonly limits: Settings = settings()) {
    const Worker = loadProto().superconverge.v1.Worker;
    this.client = new Worker(address, grpc.credentials.createInsecure(), workerChannelOptions());
  }

  configure: WorkerHandle['configure'] = (req) => this.call('configureDeadlineMs', (o, cb) => this.client.Configure(req, o, cb));
  step: WorkerHandle['step'] = (req) => this.call('stepDeadlineMs', (o, cb) => this.client.Step(req, o, cb));
  evaluate: WorkerHandle['evaluate'] = (req) => this.call('evaluateDeadlineMs', (o, cb) => this.client.Evaluate(req, o, cb));
  checksum: WorkerHandle['checksum'] = (runId) => this.call('controlDeadlineMs', (o, cb) => this.client.Checksum({ runId }, o, cb));
  syncBuffers: WorkerHandle['syncBuffers'] = async (runId) => {
    await this.call('controlDeadlineMs', (o, cb) => this.client.SyncBuffers({ runId }, o, cb));
  };
  getState: WorkerHandle['getState'] = (runId) => this.call('stateDeadlineMs', (o, cb) => this.client.GetState({ runId }, o, cb));
  setState: WorkerHandle['setState'] = async (state) => {
    await this.call('stateDeadlineMs', (o, cb) => this.client.SetState(state, o, cb));
  };
  exportModel: WorkerHandle['exportModel'] = (runId) => this.call('stateDeadlineMs', (o, cb) => this.client.ExportModel({ runId }, o, cb));
  shutdown: WorkerHandle['shutdown'] = async (runId, reason) => {
    await this.call('controlDeadlineMs', (o, cb) => this.client.Shutdown({ runId, reason }, o, cb));
  };

  /** Closes the channel (after the run). */
  close(): void {
    this.client.close();
  }

  private call<T>(deadline: DeadlineKey, invoke: (opts: grpc.CallOptions, cb: grpc.requestCallback<T>) => void): Promise<T> {
    const ms = this.limits[deadline];
    return new Promise<T>((resolve, reject) => {
      invoke({ deadline: Date.now() + ms }, (err, reply) => {
        if (err) reject(new Error(describe(err, ms, deadline), { cause: err }));
        else if (reply === undefined) reject(new Error('empty reply'));
        else resolve(reply);
      });
    });
  }
}

function describe(err: grpc.ServiceError, ms: number, deadline: DeadlineKey): string {
  switch (err.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return `no answer within the ${ms} ms deadline (set ${settingVariable(deadline)} to wait longer)`;
    case grpc.status.UNAVAILABLE:
      return `unreachable (${err.details})`;
    default:
      return `${grpc.status[err.code]}: ${err.details}`;
  }
}
