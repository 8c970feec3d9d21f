/**
 * One data-parallel worker as a network service: a TrainingWorker behind its Worker gRPC server, and the Ring
 * server its allreduce receives on, both bound on one host. It serves until the coordinator sends Shutdown, or
 * no call arrives for the idle timeout; `finished` then resolves with the reason, after the servers closed.
 */
import { formatHostPort, settings } from '../../shared/config/index.js';
import type { Logger } from '../../shared/log/index.js';
import { RingServer } from '../allreduce/index.js';
import { startHeartbeat, type Heartbeat } from '../heartbeat/index.js';
import { releaseWebGpu } from '../backend/index.js';
import { TrainingWorker } from '../TrainingWorker.js';
import { ringWorkerEnvironment } from './ringWorkerEnvironment.js';
import { WorkerServer } from './WorkerServer.js';

interface WorkerNodeOptions {
  /** Host (interface address) to bind both servers on, on free ports. */
  host: string;
  log: Logger;
  /** Overrides the idle timeout of settings(). */
  idleTimeoutMs?: number;
}

export class WorkerNode {
  readonly finished: Promise<string>;
  private finish!: (reason: string) => void;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing = false;

  private constructor(
    readonly workerServer: WorkerServer,
    readonly ringServer: RingServer,
    private readonly heartbeat: Heartbeat,
    private readonly worker: TrainingWorker,
    private readonly log: Logger,
  ) {
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  get workerAddress(): string {
    return this.workerServer.address;
  }
  get ringAddress(): string {
    return this.ringServer.address;
  }
  /** Where this process's heartbeat thread answers (the coordinator probes it during calls). */
  get heartbeatAddress(): string {
    return this.heartbeat.address;
  }

  static async start(opts: WorkerNodeOptions): Promise<WorkerNode> {
    const ring = await RingServer.listen({
      bindAddress: formatHostPort(opts.host, 0),
      onRefused: (peer, why) => opts.log.warn({ peer }, `ring server refused a connection from ${peer}: ${why}`),
    });
    const worker = new TrainingWorker(ringWorkerEnvironment(ring));
    let node: WorkerNode | undefined;
    let server: WorkerServer;
    let heartbeat: Heartbeat;
    try {
      heartbeat = await startHeartbeat(opts.host);
    } catch (err) {
      await ring.close();
      throw err;
    }
    try {
      server = await WorkerServer.listen({
        bindAddress: formatHostPort(opts.host, 0),
        worker,
        log: opts.log,
        onShutdown: (reason) => void node?.close(`shut down: ${reason}`),
      });
    } catch (err) {
      await ring.close();
      await heartbeat.close();
      throw err;
    }
    node = new WorkerNode(server, ring, heartbeat, worker, opts.log);
    node.watchIdle(opts.idleTimeoutMs ?? settings().workerIdleTimeoutMs);
    return node;
  }

  /** Stops serving: ends any run, closes both servers, resolves `finished` with `reason`. Idempotent. */
  async close(reason: string): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.idleTimer);
    try {
      await this.worker.shutdown();
    } catch (err) {
      this.log.error({ err }, 'ending the run failed while closing');
    }
    await this.workerServer.close();
    await this.ringServer.close();
    await this.heartbeat.close();
    releaseWebGpu(); // a live Dawn device may keep the process from exiting
    this.finish(reason);
  }

  private watchIdle(timeoutMs: number): void {
    const check = (): void => {
      const idle = performance.now() - this.workerServer.lastActivity;
      if (this.workerServer.inFlight === 0 && idle >= timeoutMs) {
        this.log.warn(`no call from the coordinator for ${Math.round(idle / 1000)} s: exiting`);
        void this.close(`idle for ${Math.round(idle)} ms (SUPERCONVERGE_WORKER_IDLE_TIMEOUT_MS=${timeoutMs})`);
        return;
      }
      this.idleTimer = setTimeout(check, Math.max(1000, timeoutMs - idle));
      this.idleTimer.unref();
    };
    this.idleTimer = setTimeout(check, timeoutMs);
    this.idleTimer.unref();
  }
}
