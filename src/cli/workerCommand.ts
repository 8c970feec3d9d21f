import { parseArgs } from 'node:util';
import { useTlsFiles, useTokenFile } from '../shared/auth/index.js';
import {
  ConfigError,
  ENV_SETTINGS,
  FIT_SETTINGS,
  LAUNCHED_BY_VARIABLE,
  type SettingDeclaration,
} from '../shared/config/index.js';
import { envRendezvousRole } from '../coordinator/index.js';
import { createLogger, type LogFormat } from '../shared/log/index.js';
import { parseInteger } from './parseNumberList.js';
import { type FlagValues, helpOf, optionsOf, textOf } from './declaredFlags.js';
import { logFormatOf } from './fitFlags.js';

/** The worker's flags: its own (--join, --rank) and those it shares with fit (declared once, in fitSettings.ts). */
const WORKER_FLAGS: readonly SettingDeclaration<string>[] = [
  {
    flag: 'join',
    arg: 'HOST:PORT',
    check: { kind: 'text' },
    section: 'Workers and output',
    help: 'the coordinator (superconverge fit --listen HOST:PORT --world-size N), or env',
  },
  ...FIT_SETTINGS.filter((s) => s.flag === 'host'),
  {
    flag: 'rank',
    arg: 'R',
    check: { kind: 'count', min: 0 },
    section: 'Workers and output',
    help: 'ask for rank R (default: the coordinator assigns one)',
  },
  ...FIT_SETTINGS.filter((s) => ['token-file', 'tls-cert', 'tls-key', 'tls-ca', 'log-format'].includes(s.flag)),
];

export const WORKER_HELP = `superconverge worker: serve as one data-parallel worker of a coordinator on another machine

  superconverge worker --join HOST:PORT [--host ADDR] [--rank R] [--token-file FILE]
  superconverge worker --join env        (MASTER_ADDR, MASTER_PORT, RANK or SLURM_PROCID)

${helpOf(WORKER_FLAGS).split('\n').slice(1).join('\n')}The worker loads the dataset named by the run's config from its own disk, serves until the run ends, then exits.
It may join a run already going with --elastic (in place of a lost worker): it is admitted at the next step.
It exits with code 1 when its coordinator is gone or hung (SUPERCONVERGE_LIVENESS_TIMEOUT_MS, default ${ENV_SETTINGS.livenessTimeoutMs.default / 1000} s).
`;

/** Runs a worker until the coordinator ends the run. */
export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: optionsOf(WORKER_FLAGS),
  }) as { values: FlagValues };
  if (values.help) return (void process.stdout.write(WORKER_HELP), 0);
  const text = (flag: string): string | undefined => textOf(values, flag);
  const tokenFile = text('token-file');
  if (tokenFile !== undefined) useTokenFile(tokenFile);
  useTlsFiles({ cert: text('tls-cert'), key: text('tls-key'), ca: text('tls-ca') });
  const join = text('join');
  if (!join) throw new ConfigError('superconverge worker needs --join HOST:PORT (or --join env)');
  const logFormat = logFormatOf(values);
  let coordinator = join;
  const rankText = text('rank');
  let rank = rankText === undefined ? undefined : parseInteger('--rank', rankText);
  if (join === 'env') {
    const role = await envRendezvousRole();
    if (role.role !== 'worker') {
      throw new ConfigError(
        `rank ${role.env.rank} is the coordinator's: run \`superconverge fit --rendezvous env ...\` there`,
      );
    }
    coordinator = role.coordinator;
    rank ??= role.rank;
  }
  return runWorker({ coordinator, rank, host: text('host'), logFormat });
}

/** Joins `coordinator` and serves until the run ends; 0 when it ended by Shutdown, 1 otherwise. */
export async function runWorker(o: {
  coordinator: string;
  rank?: number;
  host?: string;
  logFormat: LogFormat;
}): Promise<number> {
  const log = createLogger({ format: o.logFormat, bindings: o.rank === undefined ? {} : { rank: o.rank } });
  // One SIGTERM (Slurm, Kubernetes) or Ctrl-C ends a worker at once, joined or still waiting to join: the run's
  // coordinator notices a lost worker (and stops, or with --elastic goes on without it).
  // The signal is raised again once the log line is out, with its default action: the process ends as killed by it
  // (a shell's 143 or 130), without Node's teardown, which can hang while threads are still starting.
  const onSignal = (name: NodeJS.Signals): void => {
    log.warn(`${name}: worker exiting`);
    setTimeout(() => {
      process.removeAllListeners(name);
      process.kill(process.pid, name);
    }, 50);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const parent = process.env[LAUNCHED_BY_VARIABLE];
  let orphanWatch: NodeJS.Timeout | undefined;
  if (parent) {
    let gone = false;
    const parentGone = (): void => {
      if (gone) return;
      gone = true;
      log.error(`the coordinator process that started this worker (pid ${parent}) is gone: exiting`);
      // SIGKILL, not process.exit(): an exit while this process's threads (heartbeat, batch assembly) are still
      // starting can hang in Node's teardown (seen: the main thread parked on a futex for minutes). Nobody waits for
      // this exit code: the parent is gone.
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);
    };
    process.stdin.on('data', () => undefined); // nothing is sent; reading lets the end of the pipe be seen
    process.stdin.once('end', parentGone);
    process.stdin.once('error', parentGone);
    // And, should the pipe's end go unseen, this process is handed to another parent when its own dies.
    orphanWatch = setInterval(() => {
      if (process.ppid !== Number(parent)) parentGone();
    }, 500);
    orphanWatch.unref();
  }
  let reason: string;
  try {
    // Loaded here, not at the top: the CLI's other commands (fit, lr-find) must not load the worker's tfjs.
    const { joinCoordinator } = await import('../worker/grpc/index.js');
    const joined = await joinCoordinator({ coordinator: o.coordinator, rank: o.rank, host: o.host, log });
    reason = await joined.finished;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    clearInterval(orphanWatch);
    if (parent) process.stdin.destroy(); // the pipe would keep this process alive once the run is over
  }
  if (reason.startsWith('shut down')) {
    log.info(`worker done: ${reason}`);
    return 0;
  }
  log.error(`worker stopped: ${reason}`);
  // A hung coordinator (SIGSTOP) never finishes closing its connections, which would keep this process alive: the
  // run is over for it, so it exits once its log lines are out.
  setTimeout(() => process.exit(1), 100).unref();
  return 1;
}
