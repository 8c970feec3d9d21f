/**
 * Operational settings (deadlines, timeouts) read once from SUPERCONVERGE_* environment variables. They are not
 * hyper-parameters: they change how long the processes wait for each other, never the results, so they live
 * here rather than in FitConfig. Every RPC deadline of the coordinator and the workers is taken from here.
 */
import { ConfigError } from './ConfigError.js';

/** One environment setting, declared once: its default and what it covers (doc comments, the README's table). */
export interface EnvSettingDeclaration {
  /** Milliseconds. */
  default: number;
  /** What waits this long; the README's "covers" column. */
  covers: string;
}

/** Every environment setting (variable: settingVariable(key)); the README's table is checked against these. */
export const ENV_SETTINGS = {
  /** Configure: backend start, dataset load, model build. */
  configureDeadlineMs: { default: 300_000, covers: 'Configure (backend, dataset, model)' },
  /** Step: forward, backward, allreduce and update of one shard (seconds on CPU). */
  stepDeadlineMs: { default: 600_000, covers: 'Step (steps take seconds on CPU)' },
  evaluateDeadlineMs: { default: 1_800_000, covers: 'Evaluate (a whole validation split)' },
  controlDeadlineMs: { default: 60_000, covers: 'Checksum, SyncBuffers, Reform' },
  /** Whole models on the wire. */
  stateDeadlineMs: { default: 300_000, covers: 'GetState, SetState, ExportModel' },
  /** A ring allreduce fails when no chunk comes from the left neighbour for this long (it may still be computing). */
  ringPeerTimeoutMs: { default: 600_000, covers: 'an allreduce waiting for its left neighbour' },
  /** A worker's Join call to the coordinator. */
  joinDeadlineMs: { default: 60_000, covers: 'one Join call' },
  /** How long the coordinator waits for all workers to join. */
  rendezvousTimeoutMs: { default: 600_000, covers: 'all workers joining (workers retry until then too)' },
  /** A joined worker exits when no Worker RPC arrives for this long. */
  workerIdleTimeoutMs: { default: 3_600_000, covers: 'a joined worker exits after this long without a call' },
  /** How long close() waits for local workers to exit after Shutdown before killing them. */
  workerExitGraceMs: { default: 10_000, covers: "local workers' exit after Shutdown before they are killed" },
  /**
   * A worker process whose heartbeat thread does not answer for this long while a call is in flight is taken for
   * hung or gone (a long step does not count: the heartbeat answers beside it); a worker notices a dead coordinator
   * within it.
   */
  livenessTimeoutMs: {
    default: 10_000,
    covers: 'a hung worker (heartbeat) or coordinator (Ping) is noticed within it',
  },
  /** Sent to every worker at the end (or on a failure, where a hung one must not hold the exit). */
  shutdownDeadlineMs: { default: 5_000, covers: 'Shutdown' },
  /** --elastic: a survivor leaves the broken ring; answered at once unless the worker is hung. */
  abortDeadlineMs: { default: 5_000, covers: 'Abort (`--elastic`)' },
} as const satisfies Record<string, EnvSettingDeclaration>;

/** Each environment setting's value in milliseconds. */
export type Settings = { -readonly [K in keyof typeof ENV_SETTINGS]: number };

const DEFAULTS = Object.fromEntries(Object.entries(ENV_SETTINGS).map(([k, d]) => [k, d.default])) as Settings;

/** camelCase key -> SUPERCONVERGE_SNAKE_CASE variable. */
export function settingVariable(key: keyof Settings): string {
  return 'SUPERCONVERGE_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/**
 * The longest wait a setting may ask for: Node's timers (and grpc-js's deadline timers) take at most 2^31-1 ms
 * (24.8 days); a longer one fires at once (with a TimeoutOverflowWarning) or, as a deadline, throws inside grpc-js.
 */
const MAX_SETTING_MS = 2_147_483_647;

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
      throw new ConfigError(
        `${name} must be a whole number of milliseconds from 1 to ${MAX_SETTING_MS} (24.8 days), got '${text}'`,
      );
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
