/**
 * The floor under the coordinator's step overhead on this machine: the round trip of one byte over a plain TCP
 * connection (Nagle off) between this thread and a worker thread that is busy for `busyMs` before it answers, minus
 * `busyMs`. While the worker computes, the waiting thread's core goes idle; on a virtual machine waking an idle vCPU
 * costs far more than the bytes (on the 2-core dev VM: ~0.13 ms with no busy time, ~1.1-1.3 ms after 5 ms of it).
 * Any request/reply between the coordinator and a worker that computes in between pays it, before gRPC adds its own.
 */
import net from 'node:net';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy, as a worker computing its step
  }
}

/** Median round trip minus `busyMs`, ms, over `trips` after 20 warm-up trips. */
export async function measureWakeFloor(busyMs: number, trips = 200): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const worker = new Worker(new URL(import.meta.url), { workerData: { wakeFloor: { port, busyMs } } });
  try {
    const sock = await new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    sock.setNoDelay(true);
    const rtts: number[] = [];
    for (let i = 0; i < 20 + trips; i++) {
      const t0 = performance.now();
      sock.write(Buffer.of(1));
      await new Promise((resolve) => sock.once('data', resolve));
      if (i >= 20) rtts.push(performance.now() - t0 - busyMs);
    }
    sock.destroy();
    rtts.sort((a, b) => a - b);
    return rtts[Math.floor(rtts.length / 2)];
  } finally {
    await worker.terminate();
    server.close();
  }
}

const job = isMainThread
  ? undefined
  : (workerData as { wakeFloor?: { port: number; busyMs: number } } | null)?.wakeFloor;
if (job) {
  const { port, busyMs } = job;
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  sock.on('data', (b) => {
    spin(busyMs);
    sock.write(b);
  });
}
