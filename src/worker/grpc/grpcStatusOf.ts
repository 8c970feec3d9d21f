import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../../shared/config/index.js';
import { DataError } from '../../data/index.js';
import { CollectiveError } from '../allreduce/index.js';
import { BackendUnavailableError } from '../backend/index.js';
import { WorkerStateError } from '../TrainingWorker.js';

interface GrpcStatus {
  code: grpc.status;
  details: string;
  /** False for an unexpected error: its details are a short generic line and it should be logged in full here. */
  deliberate: boolean;
}

/**
 * Maps a worker error to the status that crosses the wire. Only deliberate errors (the worker's state, bad input,
 * a missing dataset or backend, a broken ring) send their message; anything else is INTERNAL with a short line
 * naming the call and rank, and the caller logs the error itself. No stack trace ever crosses.
 */
export function grpcStatusOf(
  err: unknown,
  call: string,
  rank: number | undefined,
  invalidInput: (e: unknown) => boolean = () => false,
): GrpcStatus {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof WorkerStateError)
    return { code: grpc.status.FAILED_PRECONDITION, details: message, deliberate: true };
  if (err instanceof ConfigError || invalidInput(err))
    return { code: grpc.status.INVALID_ARGUMENT, details: message, deliberate: true };
  if (err instanceof DataError || err instanceof BackendUnavailableError) {
    return { code: grpc.status.FAILED_PRECONDITION, details: message, deliberate: true };
  }
  if (err instanceof CollectiveError) return { code: grpc.status.ABORTED, details: message, deliberate: true };
  const who = rank === undefined ? 'the worker' : `rank ${rank}`;
  return {
    code: grpc.status.INTERNAL,
    details: `internal error in ${call} on ${who} (see that worker's log)`,
    deliberate: false,
  };
}
