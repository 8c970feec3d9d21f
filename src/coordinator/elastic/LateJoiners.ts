import { performance } from 'node:perf_hooks';
import type { Logger } from '../../shared/log/index.js';
import type { ConfigureReply__Output } from '../../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import type { ConfigureRequest__Output } from '../../shared/proto/generated/superconverge/v1/ConfigureRequest.js';
import type { Member } from '../launch/index.js';
import type { WorkerHandle } from '../WorkerHandle.js';

/** A worker handle the run opened itself (a late joiner), closed when the run ends. */
export interface OwnedWorker extends WorkerHandle {
  close?(): void;
}

/** A late joiner whose replica is configured: it waits for a step boundary to be given a rank in the ring. */
interface Joiner {
  handle: OwnedWorker;
  ringAddress: string;
  /** From its Join to its replica being configured, ms. */
  configureMs: number;
}

interface LateJoinersOptions {
  runId: string;
  log: Logger;
  /** Opens a handle to a worker that joined. */
  connect(m: Member): OwnedWorker;
  /** Its Configure: the run's config, as a world of one until the ring is re-formed with it. */
  configureRequest(): ConfigureRequest__Output;
  /** What differs between its replica and the run's (empty: it may join). */
  differences(reply: ConfigureReply__Output): string[];
  /** Frees its rank in the rendezvous again, when it is refused or fails. */
  release(workerAddress: string): void;
}

/**
 * Workers that join an --elastic run after it started: each is configured in the background while training goes on
 * (its model and data checked against the run's replicas, as at the start), then waits for the run to admit it at a
 * step boundary (take()).
 */
export class LateJoiners {
  private ready: Joiner[] = [];
  private readonly configuring = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: LateJoinersOptions) {}

  /** Joiners configured and waiting to be admitted. */
  get waiting(): number {
    return this.ready.length;
  }

  add(m: Member): void {
    const t0 = performance.now();
    const handle = this.opts.connect(m);
    this.opts.log.info(
      { worker: m.workerAddress, host: m.hostname },
      'a worker joined the running run: configuring its replica',
    );
    const p: Promise<void> = handle
      .configure(this.opts.configureRequest())
      .then(
        async (reply) => {
          const differs = this.opts.differences(reply);
          if (differs.length > 0)
            return this.dismiss(handle, `its replica differs from the run's: ${differs.join('; ')}`);
          if (this.closed) return this.dismiss(handle, 'the run is over');
          this.ready.push({ handle, ringAddress: m.ringAddress, configureMs: performance.now() - t0 });
        },
        (err: unknown) =>
          this.dismiss(handle, `its Configure failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => this.configuring.delete(p));
    this.configuring.add(p);
  }

  /** The joiners ready now (they leave the queue). */
  take(): Joiner[] {
    return this.ready.splice(0);
  }

  /** Refuses a joiner: says why in the log, frees its rank, shuts it down (best effort) and closes its handle. */
  async dismiss(handle: OwnedWorker, why: string): Promise<void> {
    this.opts.log.warn({ worker: handle.address }, `worker ${handle.address} is not admitted: ${why}`);
    this.opts.release(handle.address);
    await handle.shutdown(this.opts.runId, `not admitted: ${why}`).catch(() => undefined);
    handle.close?.();
  }

  /** The run is over: joiners still configuring or waiting are shut down. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.configuring]);
    await Promise.allSettled(this.take().map((j) => this.dismiss(j.handle, 'the run is over')));
  }
}
