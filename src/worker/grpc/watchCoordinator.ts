import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { authClientOptions, channelCredentials } from '../../shared/auth/index.js';
import { parseHostPort } from '../../shared/config/index.js';
import { loadProto } from '../../shared/proto/loadProto.js';
import { workerChannelOptions } from '../../shared/proto/workerChannelOptions.js';

/** Period of the ticker that measures this thread's event-loop stalls, ms. */
const TICK_MS = 20;

interface CoordinatorWatch {
  stop(): void;
}

/**
 * Watches that the coordinator of run `runId` is alive, two ways:
 * - a TCP connect to its Rendezvous port every fifth of `timeoutMs`: a refused connect means the process is gone
 *   (noticed at once), no answer for `timeoutMs` a machine or network gone;
 * - a Ping RPC every tenth of `timeoutMs`, at least every second (each with that deadline): a hung or stopped
 *   (SIGSTOP) coordinator still has its connections accepted by the kernel but answers no call, so when no Ping has
 *   been answered for 60% of `timeoutMs`, and at least five Ping periods, the coordinator is taken for hung. The
 *   floors keep a loaded machine's scheduling delays (tens of ms) from failing every Ping of a short timeout. A
 *   coordinator busy for a second or two (plots, a checkpoint) answers late, not never, and is left alone; so is a
 *   worker whose own thread was blocked by a long step (a Ping that failed while this thread's event loop stalled
 *   for over a quarter of a Ping period is no news, not silence).
 * The Ping's answer also says whether the run still counts this worker (`workerAddress`) as a member: one that an
 * --elastic run dropped (taken for lost: stopped for a while, cut off) exits rather than wait for its idle timeout.
 * The first of these calls `onGone` once, with what happened.
 */
export function watchCoordinator(
  address: string,
  run: { runId: string; workerAddress: string },
  timeoutMs: number,
  onGone: (why: string) => void,
): CoordinatorWatch {
  const { runId, workerAddress } = run;
  const { host, port } = parseHostPort(address, 'coordinator');
  const every = Math.max(100, Math.floor(timeoutMs / 5));
  const pingEvery = Math.max(1000, Math.floor(timeoutMs / 10));
  const hungAfter = Math.max(5 * pingEvery, Math.floor(timeoutMs * 0.6));
  const stallLimit = Math.max(10 * TICK_MS, Math.floor(pingEvery / 4));
  const client = new (loadProto().superconverge.v1.Rendezvous)(address, channelCredentials(), {
    ...workerChannelOptions(),
    ...authClientOptions(),
  });
  let lastOk = Date.now();
  let lastPing = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  // This thread's own event-loop stalls: a step computes on it for a second or more, and a Ping answered meanwhile
  // sits unread while its deadline timer, run first when the thread frees, fails it. Such a Ping is no news.
  let lastTick = Date.now();
  let longestStall = 0;
  const ticker = setInterval(() => {
    const now = Date.now();
    longestStall = Math.max(longestStall, now - lastTick);
    lastTick = now;
  }, TICK_MS);
  ticker.unref();
  const stop = (): void => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(pingTimer);
    clearInterval(ticker);
    client.close();
  };
  const gone = (why: string): void => {
    if (stopped) return;
    stop();
    onGone(why);
  };
  const probe = (): void => {
    if (stopped) return;
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (error?: string): void => {
      socket.destroy();
      if (stopped) return;
      if (error === undefined) lastOk = Date.now();
      else if (error.includes('ECONNREFUSED'))
        return gone(`the coordinator at ${address} refuses connections (${error}): it has exited`);
      if (Date.now() - lastOk >= timeoutMs)
        return gone(
          `no answer from the coordinator at ${address} for ${Date.now() - lastOk} ms (${error ?? 'timeout'})`,
        );
      timer = setTimeout(probe, every);
      timer.unref();
    };
    socket.once('connect', () => done());
    socket.once('timeout', () => done('timeout'));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  };
  const ping = (): void => {
    if (stopped) return;
    const sentAt = Date.now();
    longestStall = 0;
    client.Ping({ runId, workerAddress }, { deadline: sentAt + pingEvery }, (err, reply) => {
      if (stopped) return;
      if (!err && reply) {
        if (reply.runId !== runId)
          return gone(`the coordinator at ${address} now runs run ${reply.runId}, not this worker's run ${runId}`);
        if (!reply.member)
          return gone(
            `the coordinator at ${address} has dropped this worker (${workerAddress}) from the run (--elastic: it was taken for lost)`,
          );
        lastPing = Date.now();
      } else if (Math.max(longestStall, Date.now() - lastTick) > stallLimit) {
        // This thread was blocked while the Ping was out (a step computes on it), so the coordinator's answer may have
        // come and not been read: no news of the coordinator, not silence. (A coordinator that sends Steps is alive.)
        lastPing = Date.now();
      }
      const silent = Date.now() - lastPing;
      if (silent >= hungAfter) {
        return gone(
          `the coordinator at ${address} has not answered a Ping for ${silent} ms (${err ? grpc.status[err.code] : 'no reply'}): it is hung ` +
            `or stopped (SUPERCONVERGE_LIVENESS_TIMEOUT_MS=${timeoutMs})`,
        );
      }
      // A Ping that ran to its deadline has waited already; any other answer waits for the next period.
      pingTimer = setTimeout(ping, err?.code === grpc.status.DEADLINE_EXCEEDED ? 0 : pingEvery);
      pingTimer.unref();
    });
  };
  timer = setTimeout(probe, every);
  timer.unref();
  pingTimer = setTimeout(ping, pingEvery);
  pingTimer.unref();
  return { stop };
}
