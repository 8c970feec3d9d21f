import * as grpc from '@grpc/grpc-js';
import type { StepReply__Output } from '../shared/proto/generated/superconverge/v1/StepReply.js';
import type { StepRequest__Output } from '../shared/proto/generated/superconverge/v1/StepRequest.js';
import type { WorkerClient } from '../shared/proto/generated/superconverge/v1/Worker.js';

interface Pending {
  callback: grpc.requestCallback<StepReply__Output>;
  timer: NodeJS.Timeout;
}

interface Open {
  call: grpc.ClientDuplexStream<StepRequest__Output, StepReply__Output>;
  pending: Pending[];
  /** The call's own deadline, ms since the epoch: no step whose deadline is later goes on it. */
  deadline: number;
}

/** How long one StepStream call may stay open, ms, beyond its first step's deadline. */
const STREAM_LIFETIME_MS = 10 * 60_000;

/**
 * A worker's StepStream call, kept open from one step to the next: a step is a message each way on it instead of
 * a unary call (a new HTTP/2 stream with headers, trailers and metadata each time, ~1 ms of CPU on each side on a
 * 2-core VM). Each step sent on it has its own deadline, timed here: when one passes, its callback gets
 * DEADLINE_EXCEEDED and the stream is cancelled, as a unary call's would be. The call itself has a deadline too,
 * STREAM_LIFETIME_MS after its first step's: a step that would outlive it goes on a new call, and the old one is
 * half-closed to end after the steps it carries. A failed step ends the stream with its status (every step
 * waiting on it gets that status); the next step opens a new stream.
 */
export class StepStream {
  private open: Open | undefined;

  /** `lifetimeMs`: how long one call may stay open beyond its first step's deadline (tests shorten it). */
  constructor(
    private readonly client: WorkerClient,
    private readonly lifetimeMs = STREAM_LIFETIME_MS,
  ) {}

  /** Sends one step, answered through `callback` (once) by its reply or an error. */
  send(
    req: StepRequest__Output,
    deadline: number,
    callback: grpc.requestCallback<StepReply__Output>,
  ): { cancel(): void } {
    if (this.open && deadline > this.open.deadline) this.end();
    const o = this.stream(deadline);
    const timer = setTimeout(
      () => this.fail(o, serviceError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded')),
      Math.max(0, deadline - Date.now()),
    );
    o.pending.push({ callback, timer });
    o.call.write(req);
    return { cancel: () => this.fail(o, serviceError(grpc.status.CANCELLED, 'Cancelled on client')) };
  }

  /** Half-closes the stream (before Shutdown, or when the channel closes): the worker ends it after its steps. */
  end(): void {
    const o = this.open;
    this.open = undefined;
    o?.call.end();
  }

  private stream(firstStepDeadline: number): Open {
    if (this.open) return this.open;
    const deadline = firstStepDeadline + this.lifetimeMs;
    const o: Open = { call: this.client.StepStream({ deadline }), pending: [], deadline };
    o.call.on('data', (reply: StepReply__Output) => {
      const p = o.pending.shift();
      if (p === undefined) return this.fail(o, serviceError(grpc.status.INTERNAL, 'a StepReply nobody asked for'));
      clearTimeout(p.timer);
      p.callback(null, reply);
    });
    o.call.on('error', (err: grpc.ServiceError) => this.fail(o, err));
    o.call.on('status', (s: grpc.StatusObject) => {
      if (s.code === grpc.status.OK) this.fail(o, serviceError(grpc.status.UNAVAILABLE, 'the step stream ended'));
    });
    this.open = o;
    return o;
  }

  /** Ends stream `o` for good: its waiting steps get `err`, and the next step opens a new stream. */
  private fail(o: Open, err: grpc.ServiceError): void {
    if (this.open === o) this.open = undefined;
    const pending = o.pending.splice(0);
    for (const p of pending) clearTimeout(p.timer);
    o.call.cancel(); // a no-op once the stream has ended
    for (const p of pending) p.callback(err);
  }
}

function serviceError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), {
    code,
    details,
    metadata: new grpc.Metadata(),
  });
}
