/**
 * V8 settings for the isolates of the workers this coordinator starts on its own machine. V8's flags belong to the
 * process, and an isolate reads its heap settings when it is created: a worker thread gets them from this process
 * (set here, before the thread is made), a worker process on its command line.
 *
 * `--initial-old-space-size=128` (MB): a training isolate keeps about 28 MB of old generation (tfjs's code and
 * source text) and allocates about 1.9 MB of short-lived engine objects a step. With V8's default sizing, a worker
 * thread's isolate started incremental marking by V8's own task at 27-28 MB of a 51 MB limit and ran a full
 * mark-compact every 3-4 steps (`--trace-gc --trace-incremental-marking`, resnet-mini, batch 64 on each of two
 * thread workers), its concurrent marking and sweeping on V8's helper threads: part of the ~58 ms of CPU a step
 * that the process's other threads took from the two cores the two training threads need. With 128 MB the young
 * generation's scavenges collect a step's objects, and a worker isolate ran two mark-compacts in 100 steps (on
 * external-memory pressure). The cost is memory: the old generation may grow to 128 MB before its first full GC.
 */
import v8 from 'node:v8';

export const WORKER_V8_FLAGS: readonly string[] = ['--initial-old-space-size=128'];

/** Sets WORKER_V8_FLAGS in this process, so that the worker threads it creates from now on get them. */
export function applyWorkerV8Flags(): void {
  for (const flag of WORKER_V8_FLAGS) v8.setFlagsFromString(flag);
}
