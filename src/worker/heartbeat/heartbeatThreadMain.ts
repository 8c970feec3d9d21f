/**
 * The heartbeat thread of a worker process: answers every TCP connection with "ok\n". It runs beside the training
 * thread, so it answers while a long step blocks that thread's event loop, and stops answering only when the
 * process is gone or stopped (SIGSTOP, a frozen machine): the coordinator tells dead from slow by it.
 */
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

if (!parentPort) throw new Error('heartbeatThreadMain.js runs as a worker_thread (started by startHeartbeat)');
const port = parentPort;
const { host } = workerData as { host: string };
const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy()); // a probe that hangs up early is no concern of ours
  socket.end('ok\n');
});
server.once('error', (err) => port.postMessage({ error: err.message }));
server.listen(0, host, () => port.postMessage({ port: (server.address() as net.AddressInfo).port }));
port.on('message', (m: unknown) => {
  if (m === 'close') server.close(() => process.exit(0));
});
