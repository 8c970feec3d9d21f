import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatHostPort } from '../../shared/config/index.js';

export interface Heartbeat {
  /** host:port the heartbeat answers on. */
  readonly address: string;
  close(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./heartbeatThreadMain.js', import.meta.url));

/** Starts this process's heartbeat thread on `host` (any free port). It never keeps the process alive. */
export async function startHeartbeat(host: string): Promise<Heartbeat> {
  const worker = new Worker(MAIN, { workerData: { host } });
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port?: number; error?: string }) => {
      if (m.port !== undefined) resolve(m.port);
      else reject(new Error(`the heartbeat could not listen on ${host}: ${m.error ?? 'unknown error'}`));
    });
    worker.once('error', reject);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    address: formatHostPort(host, port),
    close: async () => {
      worker.postMessage('close');
      const timer = setTimeout(() => void worker.terminate(), 1000);
      await exited;
      clearTimeout(timer);
    },
  };
}
