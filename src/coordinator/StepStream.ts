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
}

/**
 * A worker's StepStream call, kept open from one step to the next: a step is a message each way on it instead of
 * a unary call (a new HTTP/2 stream with headers, trailers and metadata each time, ~1 ms of CPU on each side on a
 * 2-core VM). The stream has no deadline of its own; each step sent on it has its own, timed here: when one passes,
 * its callback gets DEADLINE_EXCEEDED and the stream is cancelled, as a unary call's would be. A failed step ends
 * the stream with its status (every step waiting on it gets that status); the next step opens a new stream.
 */
export class StepStream {
  private open: Open | undefined;

  constructor(private readonly client: WorkerClient) {}

  /** Sends one step, answered through `callback` (once) by its reply or an error. */
  send(
    req: StepRequest__Output,
    deadline: number,
    callback: grpc.requestCallback<StepReply__Output>,
  ): { cancel(): void } {
    const o = this.stream();
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

  private stream(): Open {
    if (this.open) return this.open;
    const o: Open = { call: this.client.StepStream(), pending: [] };
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
