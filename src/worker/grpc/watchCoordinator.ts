import net from 'node:net';
import { parseHostPort } from '../../shared/config/index.js';

export interface CoordinatorWatch {
  stop(): void;
}

/**
 * Watches that the coordinator's Rendezvous port still accepts connections: a TCP connect every fifth of
 * `timeoutMs` (the kernel answers it even while the coordinator computes). A refused connect (the process is gone)
 * or no answer within `timeoutMs` since the last good one calls `onGone` once, with what happened.
 */
export function watchCoordinator(address: string, timeoutMs: number, onGone: (why: string) => void): CoordinatorWatch {
  const { host, port } = parseHostPort(address, 'coordinator');
  const every = Math.max(100, Math.floor(timeoutMs / 5));
  let lastOk = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const gone = (why: string): void => {
    if (stopped) return;
    stopped = true;
    onGone(why);
  };
  const probe = (): void => {
    if (stopped) return;
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (error?: string): void => {
      socket.destroy();
      if (stopped) return;
      if (error === undefined) lastOk = Date.now();
      else if (error.includes('ECONNREFUSED')) return gone(`the coordinator at ${address} refuses connections (${error}): it has exited`);
      if (Date.now() - lastOk >= timeoutMs) return gone(`no answer from the coordinator at ${address} for ${Date.now() - lastOk} ms (${error ?? 'timeout'})`);
      timer = setTimeout(probe, every);
      timer.unref();
    };
    socket.once('connect', () => done());
    socket.once('timeout', () => done('timeout'));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  };
  timer = setTimeout(probe, every);
  timer.unref();
  return { stop: () => { stopped = true; clearTimeout(timer); } };
}
