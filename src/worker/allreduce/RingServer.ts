/**
 * A rank's ring data plane, inbound: a TCP server (TLS with client certificates when the run has TLS files) that
 * its left neighbour streams chunk frames to (ringFrames.ts). Every connection must open with a HELLO carrying the
 * run's token (checked in constant time) before anything else is read; every chunk frame is checked (size before
 * its data is read, then ring id, sender, op, phase, round, offset and length by the attached RingReceiver). A
 * refused connection gets one REPLY naming why, in one line, and is closed; nothing it sent is applied.
 */
import net from 'node:net';
import tls from 'node:tls';
import { requireTokenToBind, runToken, runTlsFiles, tokenMatches } from '../../shared/auth/index.js';
import type { RingReceiver } from './RingReceiver.js';
import {
  ByteQueue,
  CHUNK_HEADER_BYTES,
  HELLO_FIXED_BYTES,
  REPLY_ACCEPT,
  REPLY_REFUSE,
  decodeChunkHeader,
  decodeHello,
  encodeReply,
  helloTailBytes,
  type ChunkHeader,
  type Hello,
} from './ringFrames.js';

export interface RingServerOptions {
  /** host:port to bind; port 0 picks a free port. Default 127.0.0.1:0. */
  bindAddress?: string;
  /** Milliseconds close() waits for open connections to end before cutting them. Default 1000. */
  closeGraceMs?: number;
  /** A connection must send its HELLO within this many ms. Default 10000. */
  handshakeTimeoutMs?: number;
  /** Told of every connection refused or cut (to log it): the peer's address and why. */
  onRefused?(peer: string, why: string): void;
}

function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`ring bind address '${address}' is not host:port`);
  }
  return { host: address.slice(0, i), port };
}

export class RingServer {
  /** host:port this server is reachable at (the bound port, with the host it was asked to bind). */
  readonly address: string;
  private readonly server: net.Server;
  private readonly closeGraceMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly onRefused: ((peer: string, why: string) => void) | undefined;
  private readonly token: string | undefined;
  private readonly sockets = new Set<net.Socket>();
  private receiver: RingReceiver | undefined;
  private closed = false;

  private constructor(server: net.Server, address: string, opts: RingServerOptions, token: string | undefined) {
    this.server = server;
    this.address = address;
    this.closeGraceMs = opts.closeGraceMs ?? 1000;
    this.handshakeTimeoutMs = opts.handshakeTimeoutMs ?? 10_000;
    this.onRefused = opts.onRefused;
    this.token = token;
  }

  /** Starts a ring server; resolves once it is bound. */
  static async listen(opts: RingServerOptions = {}): Promise<RingServer> {
    const bindAddress = opts.bindAddress ?? '127.0.0.1:0';
    const { host, port } = splitHostPort(bindAddress);
    requireTokenToBind(host, 'the ring server');
    const token = runToken();
    const files = runTlsFiles();
    let ring: RingServer | undefined;
    const onSocket = (socket: net.Socket): void => {
      if (ring) ring.serve(socket);
      else socket.destroy();
    };
    const server = files
      ? tls.createServer(
          { cert: files.cert, key: files.key, ca: files.ca, requestCert: true, rejectUnauthorized: true },
          onSocket,
        )
      : net.createServer(onSocket);
    server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
      ring?.onRefused?.(
        `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
        `failed TLS handshake: ${err.message}`,
      );
    });
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new Error(`ring server could not bind ${bindAddress}: ${err.message}`, { cause: err })),
      );
      server.listen({ host: host.replace(/^\[|\]$/g, ''), port }, () =>
        resolve((server.address() as net.AddressInfo).port),
      );
    });
    ring = new RingServer(server, `${host}:${bound}`, opts, token);
    return ring;
  }

  /** Routes received chunks to `receiver` (one ring session at a time). */
  attach(receiver: RingReceiver): void {
    if (this.closed) throw new Error(`ring server ${this.address} is closed`);
    if (this.receiver && this.receiver !== receiver) {
      throw new Error(
        `ring server ${this.address} already serves ring '${this.receiver.runId}' as rank ${this.receiver.rank}; close that collective first`,
      );
    }
    this.receiver = receiver;
  }

  /** Stops routing to `receiver` (if it is the attached one). */
  detach(receiver: RingReceiver): void {
    if (this.receiver === receiver) this.receiver = undefined;
  }

  /** Stops listening: waits up to closeGraceMs for open connections to end, then cuts them. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.receiver = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const s of this.sockets) s.destroy();
        resolve();
      }, this.closeGraceMs);
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const s of this.sockets) s.end();
    });
  }

  /** Reads one connection: HELLO, then chunk frames until it ends or a frame is refused. */
  private serve(socket: net.Socket): void {
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const queue = new ByteQueue();
    let hello: Hello | undefined;
    let helloFixed: Buffer | undefined;
    let header: ChunkHeader | undefined;
    let done = false;
    const refuse = (why: string): void => {
      done = true;
      clearTimeout(handshakeTimer);
      this.onRefused?.(peer, why);
      socket.end(encodeReply(REPLY_REFUSE, why));
      // The reply is the last word; a peer that does not close its side is cut.
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    const handshakeTimer = setTimeout(
      () => refuse(`no hello within ${this.handshakeTimeoutMs} ms`),
      this.handshakeTimeoutMs,
    );
    socket.on('data', (piece: Buffer) => {
      if (done) return;
      queue.push(piece);
      while (!done) {
        if (!hello) {
          helloFixed ??= queue.take(HELLO_FIXED_BYTES);
          if (!helloFixed) return;
          const tail = helloTailBytes(helloFixed);
          if (typeof tail === 'string') {
            refuse(tail);
            return;
          }
          const rest = queue.take(tail);
          if (!rest) return;
          hello = decodeHello(helloFixed, rest);
          clearTimeout(handshakeTimer);
          const why = this.checkToken(hello.token);
          if (why) {
            refuse(`refused: the connection carries ${why} (the run's --token-file / SUPERCONVERGE_TOKEN)`);
            return;
          }
          socket.write(encodeReply(REPLY_ACCEPT));
          continue;
        }
        if (!header) {
          const bytes = queue.take(CHUNK_HEADER_BYTES);
          if (!bytes) return;
          const decoded = decodeChunkHeader(bytes);
          if (typeof decoded === 'string') {
            refuse(`rank ${this.receiver?.rank ?? '?'}: ${decoded}`);
            return;
          }
          header = decoded;
        }
        const data = queue.takeViews(header.dataBytes);
        if (!data) return;
        const h = header;
        header = undefined;
        const refusal = this.take({ ...h, runId: hello.ringId, fromRank: hello.fromRank, data });
        if (refusal) {
          refuse(refusal);
          return;
        }
      }
    });
    socket.on('error', (err) => {
      if (!done) this.onRefused?.(peer, `connection failed: ${err.message}`);
    });
    socket.on('close', () => {
      clearTimeout(handshakeTimer);
      this.sockets.delete(socket);
      if (done) return;
      if (!hello && (helloFixed || queue.size > 0))
        this.onRefused?.(peer, 'the connection closed in the middle of its hello');
      else if (header || queue.size > 0) {
        const want = header ? CHUNK_HEADER_BYTES + header.dataBytes : CHUNK_HEADER_BYTES;
        const got = header ? CHUNK_HEADER_BYTES + queue.size : queue.size;
        this.onRefused?.(
          peer,
          `the connection closed in the middle of a frame (truncated: ${got} of ${want} bytes); the partial chunk was dropped`,
        );
      }
    });
  }

  /** Why a HELLO's token is refused, or undefined when it is accepted (or the run has no token). */
  private checkToken(given: string): string | undefined {
    if (this.token === undefined) return undefined;
    if (given === '') return 'no token';
    return tokenMatches(given, this.token) ? undefined : 'a wrong token';
  }

  private take(frame: Parameters<RingReceiver['take']>[0]): string | undefined {
    const receiver = this.receiver;
    if (!receiver) return `ring server ${this.address} has no ring session (not configured yet, or closed)`;
    try {
      return receiver.take(frame);
    } catch (err) {
      // A bug on this side, not the sender's fault: break the session so the local op reports it too.
      const reason = err instanceof Error ? err.message : String(err);
      receiver.breakWith(new Error(`rank ${receiver.rank} failed to take a chunk: ${reason}`, { cause: err }));
      return `rank ${receiver.rank} failed to take a chunk: ${reason}`;
    }
  }
}
