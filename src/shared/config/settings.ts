/**
 * Operational settings (deadlines, timeouts) read once from SUPERCONVERGE_* environment variables. They are not
 * hyper-parameters: they change how long the processes wait for each other, never the results, so they live
 * here rather than in FitConfig. Every RPC deadline of the coordinator and the workers is taken from here.
 */
import { ConfigError } from './ConfigError.js';

export interface Settings {
  /** Configure: backend start, dataset load, model build. SUPERCONVERGE_CONFIGURE_DEADLINE_MS, default 300000. */
  configureDeadlineMs: number;
  /** Step: forward, backward, allreduce and update of one shard (seconds on CPU). SUPERCONVERGE_STEP_DEADLINE_MS, default 600000. */
  stepDeadlineMs: number;
  /** Evaluate (a whole validation split). SUPERCONVERGE_EVALUATE_DEADLINE_MS, default 1800000. */
  evaluateDeadlineMs: number;
  /** Checksum, SyncBuffers, Reform. SUPERCONVERGE_CONTROL_DEADLINE_MS, default 60000. */
  controlDeadlineMs: number;
  /** GetState, SetState, ExportModel (whole models on the wire). SUPERCONVERGE_STATE_DEADLINE_MS, default 300000. */
  stateDeadlineMs: number;
  /** A ring allreduce fails when no chunk comes from the left neighbour for this long (it may still be computing).
   * SUPERCONVERGE_RING_PEER_TIMEOUT_MS, default 600000. */
  ringPeerTimeoutMs: number;
  /** A worker's Join call to the coordinator. SUPERCONVERGE_JOIN_DEADLINE_MS, default 60000. */
  joinDeadlineMs: number;
  /** How long the coordinator waits for all workers to join. SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS, default 600000. */
  rendezvousTimeoutMs: number;
  /** A joined worker exits when no Worker RPC arrives for this long. SUPERCONVERGE_WORKER_IDLE_TIMEOUT_MS, default 3600000. */
  workerIdleTimeoutMs: number;
  /** How long close() waits for local workers to exit after Shutdown before killing them. SUPERCONVERGE_WORKER_EXIT_GRACE_MS, default 10000. */
  workerExitGraceMs: number;
  /**
   * A worker process whose heartbeat thread does not answer for this long while a call is in flight is taken for
   * hung or gone (a long step does not count: the heartbeat answers beside it); a worker notices a dead coordinator
   * within it. SUPERCONVERGE_LIVENESS_TIMEOUT_MS, default 10000.
   */
  livenessTimeoutMs: number;
  /** Abort (--elastic: a survivor leaves the broken ring; answered at once unless the worker is hung).
   * SUPERCONVERGE_ABORT_DEADLINE_MS, default 5000. */
  abortDeadlineMs: number;
  /** Shutdown, sent to every worker at the end (or on a failure, where a hung one must not hold the exit). SUPERCONVERGE_SHUTDOWN_DEADLINE_MS, default 5000. */
  shutdownDeadlineMs: number;
}

const DEFAULTS: Settings = {
  configureDeadlineMs: 300_000,
  stepDeadlineMs: 600_000,
  evaluateDeadlineMs: 1_800_000,
  controlDeadlineMs: 60_000,
  stateDeadlineMs: 300_000,
  ringPeerTimeoutMs: 600_000,
  joinDeadlineMs: 60_000,
  rendezvousTimeoutMs: 600_000,
  workerIdleTimeoutMs: 3_600_000,
  workerExitGraceMs: 10_000,
  livenessTimeoutMs: 10_000,
  shutdownDeadlineMs: 5_000,
  abortDeadlineMs: 5_000,
};

/** camelCase key -> SUPERCONVERGE_SNAKE_CASE variable. */
export function settingVariable(key: keyof Settings): string {
  return 'SUPERCONVERGE_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/**
 * The longest wait a setting may ask for: Node's timers (and grpc-js's deadline timers) take at most 2^31-1 ms
 * (24.8 days); a longer one fires at once (with a TimeoutOverflowWarning) or, as a deadline, throws inside grpc-js.
 */
export const MAX_SETTING_MS = 2_147_483_647;

/**
 * Reads the settings from `env`; a variable that is set must be a whole number of milliseconds from 1 to
 * MAX_SETTING_MS (ConfigError naming it).
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const out: Settings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    const name = settingVariable(key);
    const text = env[name];
    if (text === undefined || text === '') continue;
    const v = Number(text);
    if (!Number.isInteger(v) || v <= 0 || v > MAX_SETTING_MS) {
      throw new ConfigError(`${name} must be a whole number of milliseconds from 1 to ${MAX_SETTING_MS} (24.8 days), got '${text}'`);
    }
    out[key] = v;
  }
  return out;
}

let cached: Settings | undefined;
/** The process's settings, read from process.env on first use. */
export function settings(): Settings {
  cached ??= readSettings();
  return cached;
}
