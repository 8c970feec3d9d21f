import { status } from '@grpc/grpc-js';
import { StartInterruptedError, TrainingInterruptedError } from '../coordinator/index.js';
import { ConfigError } from '../shared/config/index.js';
import { DataError } from '../data/index.js';

/** Known error kinds are printed as one clear line; anything else also gets its stack (a bug to report). */
export function reportError(e: unknown): number {
  const err = e instanceof Error ? e : new Error(String(e));
  // A worker's ConfigError (e.g. --lr values that do not fit the model's layer groups) is a usage error too.
  // Over gRPC, a worker's ConfigError at Configure arrives as INVALID_ARGUMENT (grpcStatusOf): the same usage error.
  const configureRefused =
    err.name === 'WorkerError' &&
    (err as { call?: string }).call === 'Configure' &&
    (err.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code === status.INVALID_ARGUMENT;
  const isUsage =
    err instanceof ConfigError ||
    err.cause instanceof ConfigError ||
    configureRefused ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`superconverge: ${err.message}\n`);
  if (isUsage) {
    process.stderr.write(`(see 'superconverge <command> --help')\n`);
    return 2;
  }
  // Stopped on request (Ctrl-C) with a checkpoint: the message says how to continue; 130 as for a shell's SIGINT.
  if (TrainingInterruptedError.of(err)) return 130;
  // Stopped on request before the first step: 128 + the signal's number, as if the signal had ended the process.
  if (err instanceof StartInterruptedError) return err.exitCode;
  const explained = [
    'BackendUnavailableError',
    'WorkerError',
    'ReplicaMismatchError',
    'PlotError',
    'RunInterruptedError',
    'CheckpointError',
    'ListenError',
    'JoinError',
  ];
  if (!(err instanceof DataError) && !explained.includes(err.name)) {
    process.stderr.write(`${err.stack ?? ''}\n`);
  }
  return 1;
}
