/**
 * A worker_thread of the allreduce benchmark (bench/allreduce.ts). It plays one of:
 * - `rank`: one rank of a RingCollective, running the ops the main thread asks for;
 * - `link-receiver` / `link-sender`: the two ends of a single gRPC link, pushing a buffer as a sequence of
 *   PushChunk calls with the ring's chunk size, in-flight window and channel options, the receiver adding each
 *   chunk into its buffer as a reduce-scatter round does. That is the link's limit the ring is compared with.
 */
import { parentPort } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../src/shared/proto/loadProto.js';
import type { RingClient } from '../src/shared/proto/generated/superconverge/v1/Ring.js';
import { RingCollective, RingServer, type RingTuning } from '../src/worker/allreduce/index.js';
import { InflightWindow } from '../src/worker/allreduce/InflightWindow.js';
import { addBytesInto, bytesOf } from '../src/worker/allreduce/float32Bytes.js';
import { grpcLinkOptions } from './grpcLinkOptions.js';

export type ToThread =
  | { type: 'listen-rank' }
  | { type: 'connect-rank'; runId: string; rank: number; addresses: string[]; tuning: RingTuning }
  | { type: 'listen-link' }
  | { type: 'connect-link'; address: string; tuning: Required<RingTuning> }
  | { type: 'run'; elements: number }
  | { type: 'close' };

export type FromThread =
  | { type: 'listening'; address: string }
  | { type: 'ready' }
  | { type: 'ran'; start: number; end: number; firstValue: number; lastValue: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('bench/allreduceThread.js runs as a worker_thread of bench/allreduce.js');
const reply = (msg: FromThread): void => port.postMessage(msg);
const now = (): number => performance.timeOrigin + performance.now();

let server: RingServer | undefined;
let collective: RingCollective | undefined;
let rankValue = 0;
let linkServer: grpc.Server | undefined;
let linkTarget = new Float32Array(0);
let linkClient: RingClient | undefined;
let linkTuning: Required<RingTuning> | undefined;
const buffers = new Map<number, Float32Array>();

function bufferOf(elements: number): Float32Array {
  let buf = buffers.get(elements);
  if (!buf) { buf = new Float32Array(elements); buffers.set(elements, buf); }
  return buf;
}

async function listenLink(): Promise<string> {
  const s = new grpc.Server(grpcLinkOptions());
  s.addService(loadProto().superconverge.v1.Ring.service, {
    PushChunk: (call: grpc.ServerUnaryCall<{ offset: number; length: number; data: Buffer }, object>, callback: grpc.sendUnaryData<object>) => {
      const { offset, length, data } = call.request;
      if (linkTarget.length !== length) linkTarget = new Float32Array(length);
      addBytesInto(linkTarget, offset, data);
      callback(null, {});
    },
  });
  const p = await new Promise<number>((resolve, reject) =>
    s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound))));
  linkServer = s;
  return `127.0.0.1:${p}`;
}

/** Pushes `buf` over the link as chunks, `maxInflightChunks` at a time; resolves when all are acked. */
async function pushOverLink(buf: Float32Array): Promise<void> {
  const client = linkClient as RingClient;
  const tuning = linkTuning as Required<RingTuning>;
  const chunkElems = tuning.chunkBytes / 4;
  const window = new InflightWindow(tuning.maxInflightChunks);
  let failure: Error | undefined;
  for (let start = 0; start < buf.length && !failure; start += chunkElems) {
    const slot = window.acquire();
    if (slot) await slot;
    const end = Math.min(buf.length, start + chunkElems);
    client.PushChunk(
      { runId: 'link', op: 0, phase: 0, round: 0, fromRank: 0, offset: start, length: buf.length, data: bytesOf(buf, start, end) },
      { deadline: Date.now() + tuning.sendDeadlineMs },
      (err) => { if (err) failure ??= err; window.release(); },
    );
  }
  await window.drained();
  if (failure) throw failure;
}

async function handle(msg: ToThread): Promise<void> {
  switch (msg.type) {
    case 'listen-rank':
      server = await RingServer.listen();
      reply({ type: 'listening', address: server.address });
      return;
    case 'connect-rank':
      collective = new RingCollective({
        server: server as RingServer, runId: msg.runId, rank: msg.rank, worldSize: msg.addresses.length, addresses: msg.addresses, ...msg.tuning,
      });
      rankValue = msg.rank + 1;
      reply({ type: 'ready' });
      return;
    case 'listen-link':
      reply({ type: 'listening', address: await listenLink() });
      return;
    case 'connect-link':
      linkClient = new (loadProto().superconverge.v1.Ring)(msg.address, grpc.credentials.createInsecure(), grpcLinkOptions());
      linkTuning = msg.tuning;
      reply({ type: 'ready' });
      return;
    case 'run': {
      const buf = bufferOf(msg.elements);
      if (collective) {
        buf.fill(rankValue);
        const start = now();
        await collective.allreduce(buf);
        const end = now();
        reply({ type: 'ran', start, end, firstValue: buf[0], lastValue: buf[buf.length - 1] });
      } else {
        buf.fill(1);
        const start = now();
        await pushOverLink(buf);
        const end = now();
        reply({ type: 'ran', start, end, firstValue: buf[0], lastValue: buf[buf.length - 1] });
      }
      return;
    }
    case 'close':
      await collective?.close();
      await server?.close();
      linkClient?.close();
      linkServer?.forceShutdown();
      reply({ type: 'closed' });
      return;
  }
}

port.on('message', (msg: ToThread) => {
  handle(msg).catch((err: unknown) => reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
});
