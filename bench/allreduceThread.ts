/**
 * A worker_thread of the allreduce benchmark (bench/allreduce.ts). It plays one of:
 * - `rank`: one rank of a RingCollective, running the ops the main thread asks for;
 * - `link-receiver` / `link-sender`: the two ends of a single gRPC link (the ring's transport before its TCP data
 *   plane), pushing a buffer as a sequence of PushChunk calls with the ring's chunk size and in-flight window, the
 *   receiver adding each chunk into its buffer as a reduce-scatter round does;
 * - `tcp-receiver` / `tcp-sender`: the two ends of one plain node:net connection, the sender writing the buffer in
 *   chunk-sized writes straight from its memory, the receiver only counting bytes: the link's limit;
 * - `raw-ring` member: one of N threads connected as a ring by plain node:net connections, each writing to its
 *   right neighbour the bytes a ring rank sends in one op (2(N-1)/N of the buffer) while counting as many from its
 *   left: the ring's traffic on the same threads and cores, without framing, summing or waiting on a neighbour.
 * The receivers read with 'data' events (a fresh 64 KiB Buffer per read), or `inPlace`: with onread into one
 * reused buffer of the chunk size (adoptForOnread), the way the ring's RingServer reads.
 */
import net from 'node:net';
import { parentPort } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../src/shared/proto/loadProto.js';
import type { RingClient } from '../src/shared/proto/generated/superconverge/v1/Ring.js';
import { RingCollective, RingServer, type RingTuning } from '../src/worker/allreduce/index.js';
import { InflightWindow } from '../src/worker/allreduce/InflightWindow.js';
import { adoptForOnread } from '../src/worker/allreduce/adoptForOnread.js';
import { addBytesInto, bytesOf } from '../src/worker/allreduce/float32Bytes.js';
import { grpcLinkOptions } from './grpcLinkOptions.js';

export type ToThread =
  | { type: 'listen-rank' }
  | { type: 'connect-rank'; runId: string; rank: number; addresses: string[]; tuning: RingTuning }
  | { type: 'listen-link'; windowBytes: number }
  | { type: 'connect-link'; address: string; tuning: Required<RingTuning>; windowBytes: number }
  | { type: 'listen-tcp'; inPlace: boolean; chunkBytes: number }
  | { type: 'connect-tcp'; address: string; chunkBytes: number }
  | { type: 'listen-raw-ring'; inPlace: boolean; chunkBytes: number }
  | { type: 'connect-raw-ring'; address: string; worldSize: number; chunkBytes: number }
  | { type: 'fill'; elements: number }
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
let tcpServer: net.Server | undefined;
let tcpSocket: net.Socket | undefined;
let tcpChunkBytes = 0;
let rawRingServer: net.Server | undefined;
let rawRingOut: net.Socket | undefined;
let rawRingWorld = 0;
/** Resolves when the op's bytes from the left neighbour have all arrived. */
let rawRingInbound: (() => void) | undefined;
let rawRingExpected = 0;
/** Bytes from the left neighbour not yet counted to an op (the neighbour may start an op before this thread). */
let rawRingGot = 0;
const buffers = new Map<number, Float32Array>();

function bufferOf(elements: number): Float32Array {
  let buf = buffers.get(elements);
  if (!buf) {
    buf = new Float32Array(elements);
    buffers.set(elements, buf);
  }
  return buf;
}

async function listenLink(windowBytes: number): Promise<string> {
  const s = new grpc.Server(grpcLinkOptions(windowBytes));
  s.addService(loadProto().superconverge.v1.Ring.service, {
    PushChunk: (
      call: grpc.ServerUnaryCall<{ offset: number; length: number; data: Buffer }, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      const { offset, length, data } = call.request;
      if (linkTarget.length !== length) linkTarget = new Float32Array(length);
      addBytesInto(linkTarget, offset, data);
      callback(null, {});
    },
  });
  const p = await new Promise<number>((resolve, reject) =>
    s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound))),
  );
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
      {
        runId: 'link',
        op: 0,
        phase: 0,
        round: 0,
        fromRank: 0,
        offset: start,
        length: buf.length,
        data: bytesOf(buf, start, end),
      },
      { deadline: Date.now() + tuning.sendDeadlineMs },
      (err) => {
        if (err) failure ??= err;
        window.release();
      },
    );
  }
  await window.drained();
  if (failure) throw failure;
}

/**
 * Calls `onPiece` with every piece an accepted connection reads: 'data' events, or (inPlace) reads into one reused
 * buffer of `readBytes`, each piece a view on it valid during the call. Returns the socket that reads (to write on).
 */
function readPieces(
  socket: net.Socket,
  inPlace: boolean,
  readBytes: number,
  onPiece: (piece: Uint8Array) => void,
): net.Socket {
  if (inPlace) {
    const into = new Uint8Array(readBytes);
    const adopted = adoptForOnread(socket, {
      buffer: into,
      callback: (n) => {
        onPiece(into.subarray(0, n));
        return true;
      },
    });
    if (!adopted) throw new Error('this Node cannot read an accepted connection in place (adoptForOnread)');
    adopted.setNoDelay(true);
    adopted.resume();
    return adopted;
  }
  socket.setNoDelay(true);
  socket.on('data', onPiece);
  socket.resume();
  return socket;
}

/** The receiving end: each op is an 8-byte length, then that many bytes; it answers one byte when all arrived. */
async function listenTcp(inPlace: boolean, readBytes: number): Promise<string> {
  const s = net.createServer({ pauseOnConnect: true }, (accepted) => {
    let want = -1;
    let got = 0;
    const head = Buffer.alloc(8);
    let headGot = 0;
    const socket = readPieces(accepted, inPlace, readBytes, (piece) => {
      let at = 0;
      while (at < piece.length) {
        if (want < 0) {
          const take = Math.min(8 - headGot, piece.length - at);
          head.set(piece.subarray(at, at + take), headGot);
          headGot += take;
          at += take;
          if (headGot === 8) {
            want = Number(head.readBigUInt64LE(0));
            got = 0;
            headGot = 0;
          }
          continue;
        }
        const take = Math.min(want - got, piece.length - at);
        got += take;
        at += take;
        if (got === want) {
          want = -1;
          socket.write(Buffer.from([1]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  tcpServer = s;
  return `127.0.0.1:${(s.address() as net.AddressInfo).port}`;
}

/** Writes `buf` over the plain connection in chunk-sized writes (views, no copy); resolves on the receiver's answer. */
async function pushOverTcp(buf: Float32Array): Promise<void> {
  const socket = tcpSocket as net.Socket;
  const answered = new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.once('data', () => {
      socket.off('error', onError);
      resolve();
    });
  });
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(buf.byteLength));
  socket.write(head);
  for (let start = 0; start < buf.byteLength; start += tcpChunkBytes) {
    socket.write(Buffer.from(buf.buffer, buf.byteOffset + start, Math.min(tcpChunkBytes, buf.byteLength - start)));
  }
  await answered;
}

function settleRawRingInbound(): void {
  if (!rawRingInbound || rawRingGot < rawRingExpected) return;
  rawRingGot -= rawRingExpected;
  const done = rawRingInbound;
  rawRingInbound = undefined;
  done();
}

/** The raw ring's inbound side: counts bytes and resolves the op's wait when all of them are in. */
async function listenRawRing(inPlace: boolean, readBytes: number): Promise<string> {
  const s = net.createServer({ pauseOnConnect: true }, (socket) => {
    readPieces(socket, inPlace, readBytes, (piece) => {
      rawRingGot += piece.length;
      settleRawRingInbound();
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  rawRingServer = s;
  return `127.0.0.1:${(s.address() as net.AddressInfo).port}`;
}

/** One raw-ring op: writes a ring rank's share of `buf` to the right, waits for as many bytes from the left. */
async function rawRingOp(buf: Float32Array): Promise<void> {
  const socket = rawRingOut as net.Socket;
  const n = rawRingWorld;
  // What one ring rank sends in an op: 2(N-1) segments of 1/N of the buffer (whole floats).
  const bytes = Math.floor(((2 * (n - 1)) / n) * buf.length) * 4;
  const view = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  rawRingExpected = bytes;
  const inbound = new Promise<void>((resolve) => {
    rawRingInbound = resolve;
  });
  settleRawRingInbound();
  const written = new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    const done = (): void => {
      socket.off('error', onError);
      resolve();
    };
    // Chunk-sized writes of the buffer, from its start again where N > 2 sends more than one buffer's worth.
    for (let sent = 0; sent < bytes; ) {
      const at = sent % view.byteLength;
      const len = Math.min(tcpChunkBytes, view.byteLength - at, bytes - sent);
      sent += len;
      socket.write(view.subarray(at, at + len), sent >= bytes ? done : undefined);
    }
  });
  await Promise.all([inbound, written]);
}

async function handle(msg: ToThread): Promise<void> {
  switch (msg.type) {
    case 'listen-rank':
      server = await RingServer.listen();
      reply({ type: 'listening', address: server.address });
      return;
    case 'connect-rank':
      collective = new RingCollective({
        server: server as RingServer,
        runId: msg.runId,
        rank: msg.rank,
        worldSize: msg.addresses.length,
        addresses: msg.addresses,
        ...msg.tuning,
      });
      rankValue = msg.rank + 1;
      reply({ type: 'ready' });
      return;
    case 'listen-link':
      reply({ type: 'listening', address: await listenLink(msg.windowBytes) });
      return;
    case 'connect-link':
      linkClient = new (loadProto().superconverge.v1.Ring)(
        msg.address,
        grpc.credentials.createInsecure(),
        grpcLinkOptions(msg.windowBytes),
      );
      linkTuning = msg.tuning;
      reply({ type: 'ready' });
      return;
    case 'listen-tcp':
      reply({ type: 'listening', address: await listenTcp(msg.inPlace, msg.chunkBytes) });
      return;
    case 'connect-tcp': {
      tcpSocket = await connectPlain(msg.address);
      tcpChunkBytes = msg.chunkBytes;
      reply({ type: 'ready' });
      return;
    }
    case 'listen-raw-ring':
      reply({ type: 'listening', address: await listenRawRing(msg.inPlace, msg.chunkBytes) });
      return;
    case 'connect-raw-ring': {
      rawRingOut = await connectPlain(msg.address);
      rawRingWorld = msg.worldSize;
      tcpChunkBytes = msg.chunkBytes;
      reply({ type: 'ready' });
      return;
    }
    case 'fill':
      // Before the op and outside its timing (and its CPU time): what the op reads, a rank's value or ones.
      bufferOf(msg.elements).fill(collective ? rankValue : 1);
      reply({ type: 'ready' });
      return;
    case 'run': {
      const buf = bufferOf(msg.elements);
      const op = rawRingOut
        ? rawRingOp
        : collective
          ? (b: Float32Array) => (collective as RingCollective).allreduce(b)
          : tcpSocket
            ? pushOverTcp
            : pushOverLink;
      const start = now();
      await op(buf);
      const end = now();
      reply({ type: 'ran', start, end, firstValue: buf[0], lastValue: buf[buf.length - 1] });
      return;
    }
    case 'close':
      await collective?.close();
      await server?.close();
      linkClient?.close();
      linkServer?.forceShutdown();
      tcpSocket?.destroy();
      tcpServer?.close();
      rawRingOut?.destroy();
      rawRingServer?.close();
      reply({ type: 'closed' });
      return;
  }
}

port.on('message', (msg: ToThread) => {
  handle(msg).catch((err: unknown) =>
    reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
});

/** One plain TCP connection (Nagle off) to host:port, once connected. */
async function connectPlain(address: string): Promise<net.Socket> {
  const i = address.lastIndexOf(':');
  const socket = net.connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}
