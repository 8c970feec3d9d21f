/**
 * A worker this coordinator started on its own machine, as a worker_thread or a child process. Both join the
 * coordinator's Rendezvous like a remote worker; this only watches them start, die, and end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LAUNCHED_BY_VARIABLE } from '../../shared/config/index.js';
import type { LogFormat } from '../../shared/log/index.js';
import { gpuEnvironment } from '../../shared/gpu/index.js';
import type { WorkerThreadData } from '../../worker/index.js';
import { applyWorkerV8Flags, WORKER_V8_FLAGS } from './workerV8Flags.js';

interface LocalWorkerSpec {
  rank: number;
  /** host:port of the Rendezvous to join. */
  coordinator: string;
  /** Address the worker binds and advertises; default: its route to the coordinator. */
  host?: string;
  logFormat: LogFormat;
  /** Child processes only: the GPU it sees (CUDA_VISIBLE_DEVICES; for webgpu, Mesa's device-select layer). */
  gpu?: number;
}

export interface LocalWorker {
  readonly rank: number;
  readonly describe: string;
  /** Rejects if the worker ends abnormally (crash, non-zero exit) before stop(). Never resolves. */
  readonly failed: Promise<never>;
  /** Waits for the worker to end by itself for graceMs (it does after Shutdown), then ends it. */
  stop(graceMs: number): Promise<void>;
  /** Ends the worker at once, as a crash would (worker.terminate(), SIGKILL); for fault injection. */
  kill(): void;
}

const THREAD_MAIN = fileURLToPath(new URL('../../worker/grpc/workerThreadMain.js', import.meta.url));
const CLI_MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const STDERR_TAIL_BYTES = 4000;

export function startThreadWorker(spec: LocalWorkerSpec): LocalWorker {
  const data: WorkerThreadData = {
    coordinator: spec.coordinator,
    rank: spec.rank,
    host: spec.host,
    logFormat: spec.logFormat,
  };
  applyWorkerV8Flags();
  const worker = new Worker(THREAD_MAIN, { workerData: data });
  const describe = `worker rank ${spec.rank} (thread ${worker.threadId})`;
  let stopping = false;
  let reject!: (e: Error) => void;
  const failed = new Promise<never>((_, r) => {
    reject = r;
  });
  failed.catch(() => undefined);
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.on('error', (err) => reject(new Error(`${describe} failed: ${err.message}`, { cause: err })));
  void exited.then((code) => {
    if (!stopping) reject(new Error(`${describe} exited with code ${code} before the run ended`));
  });
  return {
    rank: spec.rank,
    describe,
    failed,
    async stop(graceMs) {
      stopping = true;
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill: () => void worker.terminate(),
  };
}

export function startProcessWorker(spec: LocalWorkerSpec): LocalWorker {
  const args = [
    ...WORKER_V8_FLAGS,
    CLI_MAIN,
    'worker',
    '--join',
    spec.coordinator,
    '--rank',
    String(spec.rank),
    '--log-format',
    spec.logFormat,
  ];
  if (spec.host) args.push('--host', spec.host);
  const env = {
    ...process.env,
    ...(spec.gpu === undefined ? {} : gpuEnvironment(spec.gpu)),
    [LAUNCHED_BY_VARIABLE]: String(process.pid),
  };
  // A process group of its own: a terminal's Ctrl-C reaches the coordinator alone, which stops the run cleanly (a
  // checkpoint after the step in flight) and then ends its workers. Its stdin is a pipe from this process that is
  // never written: when this process dies however it dies (SIGKILL included), the pipe closes and the worker exits
  // (LAUNCHED_BY_VARIABLE), so no worker is left orphaned.
  const child: ChildProcess = spawn(process.execPath, args, {
    env,
    stdio: ['pipe', 'inherit', 'pipe'],
    detached: true,
  });
  const describe = `worker rank ${spec.rank} (pid ${child.pid ?? '?'}${spec.gpu === undefined ? '' : `, GPU ${spec.gpu}`})`;
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  let stopping = false;
  let reject!: (e: Error) => void;
  const failed = new Promise<never>((_, r) => {
    reject = r;
  });
  failed.catch(() => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => reject(new Error(`${describe} could not start: ${err.message}`, { cause: err })));
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const last = lastErrorLine(tail);
    reject(
      new Error(`${describe} exited with ${signal ?? `code ${code}`} before the run ended${last ? `: ${last}` : ''}`),
    );
  });
  return {
    rank: spec.rank,
    describe,
    failed,
    async stop(graceMs) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const term = setTimeout(() => child.kill('SIGTERM'), graceMs);
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs + 5000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

/** The line of a crashed process's stderr that says what went wrong: its last `...Error: ...` or `superconverge: ...`. */
function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /^(\w*Error\b|superconverge:)/.test(l)) ?? lines.at(-1) ?? '';
}
