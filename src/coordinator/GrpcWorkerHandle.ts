import * as grpc from '@grpc/grpc-js';
import { authClientOptions, channelCredentials } from '../shared/auth/index.js';
import { settings, settingVariable, type Settings } from '../shared/config/index.js';
import { loadProto } from '../shared/proto/loadProto.js';
import { workerChannelOptions } from '../shared/proto/workerChannelOptions.js';
import { probeHeartbeat } from './probeHeartbeat.js';
import { StepStream } from './StepStream.js';
import type { WorkerClient } from '../shared/proto/generated/superconverge/v1/Worker.js';
import type { WorkerHandle } from './WorkerHandle.js';

type DeadlineKey =
  | 'configureDeadlineMs'
  | 'stepDeadlineMs'
  | 'evaluateDeadlineMs'
  | 'controlDeadlineMs'
  | 'stateDeadlineMs'
  | 'shutdownDeadlineMs'
  | 'abortDeadlineMs';

/**
 * A worker behind its Worker gRPC service. Every call has a deadline from settings() (SUPERCONVERGE_*_DEADLINE_MS);
 * a failure says what happened in one line (Cluster adds the rank and address). While a call is in flight the worker
 * process's heartbeat (a thread of its own, answering while a long step blocks the training thread) is probed, so
 * a stopped or frozen worker fails the call within settings().livenessTimeoutMs however long its deadline; a killed
 * one fails it at once (its connection closes).
 */
export class GrpcWorkerHandle implements WorkerHandle {
  private readonly client: WorkerClient;
  /** Steps go on one open StepStream call rather than a unary Step call each. */
  private readonly steps: StepStream;

  /** `heartbeat`: the worker process's heartbeat address, probed while calls are in flight (absent: not probed). */
  constructor(
    readonly rank: number,
    readonly address: string,
    private readonly limits: Settings = settings(),
    private readonly heartbeat?: string,
  ) {
    const Worker = loadProto().superconverge.v1.Worker;
    this.client = new Worker(address, channelCredentials(), { ...workerChannelOptions(), ...authClientOptions() });
    this.steps = new StepStream(this.client);
  }

  configure: WorkerHandle['configure'] = (req) =>
    this.call('configureDeadlineMs', (o, cb) => this.client.Configure(req, o, cb));
  step: WorkerHandle['step'] = (req) => this.call('stepDeadlineMs', (o, cb) => this.steps.send(req, o.deadline, cb));
  evaluate: WorkerHandle['evaluate'] = (req) =>
    this.call('evaluateDeadlineMs', (o, cb) => this.client.Evaluate(req, o, cb));
  checksum: WorkerHandle['checksum'] = (runId) =>
    this.call('controlDeadlineMs', (o, cb) => this.client.Checksum({ runId }, o, cb));
  syncBuffers: WorkerHandle['syncBuffers'] = async (runId) => {
    await this.call('controlDeadlineMs', (o, cb) => this.client.SyncBuffers({ runId }, o, cb));
  };
  getState: WorkerHandle['getState'] = (runId) =>
    this.call('stateDeadlineMs', (o, cb) => this.client.GetState({ runId }, o, cb));
  setState: WorkerHandle['setState'] = async (state) => {
    await this.call('stateDeadlineMs', (o, cb) => this.client.SetState(state, o, cb));
  };
  exportModel: WorkerHandle['exportModel'] = (runId) =>
    this.call('stateDeadlineMs', (o, cb) => this.client.ExportModel({ runId }, o, cb));
  shutdown: WorkerHandle['shutdown'] = async (runId, reason) => {
    this.steps.end(); // so that the worker's server, closing after Shutdown, has no open call to wait for
    await this.call('shutdownDeadlineMs', (o, cb) => this.client.Shutdown({ runId, reason }, o, cb));
  };

  abort: WorkerHandle['abort'] = (req) => this.call('abortDeadlineMs', (o, cb) => this.client.Abort(req, o, cb));
  reform: WorkerHandle['reform'] = async (req) => {
    await this.call('controlDeadlineMs', (o, cb) => this.client.Reform(req, o, cb));
  };

  /** Closes the channel (after the run). */
  close(): void {
    this.steps.end();
    this.client.close();
  }

  private call<T>(
    deadline: DeadlineKey,
    invoke: (opts: { deadline: number }, cb: grpc.requestCallback<T>) => { cancel(): void },
  ): Promise<T> {
    const ms = this.limits[deadline];
    return new Promise<T>((resolve, reject) => {
      let watch: { stop(): void } | undefined;
      const call = invoke({ deadline: Date.now() + ms }, (err, reply) => {
        watch?.stop();
        if (err) reject(new Error(describe(err, ms, deadline), { cause: err }));
        else if (reply === undefined) reject(new Error('empty reply'));
        else resolve(reply);
      });
      if (this.heartbeat) {
        watch = watchHeartbeat(this.heartbeat, this.limits.livenessTimeoutMs, (silentMs) => {
          // Marked UNAVAILABLE, as a dropped connection: Cluster reports this worker before its ring neighbours.
          const cause = { code: grpc.status.UNAVAILABLE, details: `no heartbeat for ${silentMs} ms` };
          reject(
            new Error(
              `unreachable: its process's heartbeat (${this.heartbeat}) has not answered for ${silentMs} ms: the process is ` +
                `hung, stopped or gone (SUPERCONVERGE_LIVENESS_TIMEOUT_MS=${this.limits.livenessTimeoutMs})`,
              { cause },
            ),
          );
          call.cancel();
        });
      }
    });
  }
}

/**
 * Probes a worker process's heartbeat every tenth of `timeoutMs` (at most 1 s, each probe waiting as long) while a
 * call is in flight; when none has answered for 60% of it, calls `onSilent` once, so the call fails within ~80%.
 * The probes run on this (the coordinator's) event loop.
 */
function watchHeartbeat(address: string, timeoutMs: number, onSilent: (silentMs: number) => void): { stop(): void } {
  const every = Math.min(1000, Math.max(50, Math.floor(timeoutMs / 10)));
  const limit = Math.floor(timeoutMs * 0.6);
  let lastOk = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const probe = async (): Promise<void> => {
    if (await probeHeartbeat(address, every)) lastOk = Date.now();
    if (stopped) return;
    const silent = Date.now() - lastOk;
    if (silent >= limit) {
      stopped = true;
      onSilent(silent);
      return;
    }
    timer = setTimeout(() => void probe(), every);
  };
  timer = setTimeout(() => void probe(), every);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
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
