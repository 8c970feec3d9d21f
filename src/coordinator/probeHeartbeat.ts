import net from 'node:net';
import { parseHostPort } from '../shared/config/index.js';

/** True when the worker process's heartbeat at `address` answers "ok" within `timeoutMs`. */
export function probeHeartbeat(address: string, timeoutMs: number): Promise<boolean> {
  const { host, port } = parseHostPort(address, 'heartbeat address');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let text = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (b: Buffer) => {
      text += b.toString('utf8');
      if (text.startsWith('ok')) done(true);
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(text.startsWith('ok')));
  });
}
