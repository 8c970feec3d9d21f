import { status } from '@grpc/grpc-js';

/** The gRPC status code in an error or its chain of causes (WorkerError -> the handle's error -> the call's). */
function grpcCodeOf(err: unknown): status | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code as status;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The call could not reach the worker, or got no answer in time (its connection dropped, its heartbeat went silent,
 * a deadline passed): the worker is taken for lost.
 */
export function isUnreachable(err: unknown): boolean {
  const code = grpcCodeOf(err);
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED || code === status.CANCELLED;
}

/** The worker answered that its collective failed (a ring peer lost, or Abort): it is alive and can go on. */
export function isRingFailure(err: unknown): boolean {
  return grpcCodeOf(err) === status.ABORTED;
}
