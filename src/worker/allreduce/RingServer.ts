/**
 * A rank's ring data plane, inbound: a TCP server (TLS with client certificates when the run has TLS files) that
 * its left neighbour streams chunk frames to (ringFrames.ts). Every connection must open with a HELLO carrying the
 * run's token (checked in constant time) before anything else is read; every chunk frame is checked from its
 * header, before any of its data is read (size, then ring id, sender, op, phase, round, offset and length by the
 * attached RingReceiver), and again once whole, when it is applied. A refused connection gets one REPLY naming
 * why, in one line, and is closed; nothing it sent is applied.
 */
import net from 'node:net';
import tls from 'node:tls';
import { requireTokenToBind, runToken, runTlsFiles, tokenMatches } from '../../shared/auth/index.js';
import { adoptForOnread } from './adoptForOnread.js';
import type { ChunkArrival, RingReceiver } from './RingReceiver.js';
import { RingFrameReader } from './RingFrameReader.js';
import { REPLY_ACCEPT, REPLY_REFUSE, encodeReply } from './ringFrames.js';

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
      : // Paused on connect: serve() hands each connection's handle to a socket that reads in place.
        net.createServer({ pauseOnConnect: true }, onSocket);
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
      // The server's close() waits for the connections it counts; adopted ones (adoptForOnread) it no longer
      // counts, so each open connection's 'close' is awaited too.
      const open = [...this.sockets].map((s) => new Promise<void>((closed) => s.once('close', () => closed())));
      const listening = new Promise<void>((closed) => this.server.close(() => closed()));
      Promise.all([listening, ...open]).then(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const s of this.sockets) s.end();
    });
  }

  /**
   * Reads one connection: HELLO, then chunk frames until it ends or a frame is refused. A plain TCP connection is
   * read in place (adoptForOnread: each read lands where the RingFrameReader says, a chunk's data in its aligned
   * scratch); a TLS one (whose socket hands out its own decrypted pieces) through 'data' events, each piece copied
   * to the same places.
   */
  private serve(accepted: net.Socket): void {
    const peer = `${accepted.remoteAddress ?? '?'}:${accepted.remotePort ?? '?'}`;
    let done = false;
    const reader = new RingFrameReader({
      hello: (hello) => {
        clearTimeout(handshakeTimer);
        const why = this.checkToken(hello.token);
        if (why) return `refused: the connection carries ${why} (the run's --token-file / SUPERCONVERGE_TOKEN)`;
        socket.write(encodeReply(REPLY_ACCEPT));
        return undefined;
      },
      chunkHeader: (hello, header) => this.take({ ...header, runId: hello.ringId, fromRank: hello.fromRank }),
      chunk: (hello, header, data) => this.take({ ...header, runId: hello.ringId, fromRank: hello.fromRank }, data),
    });
    const refuse = (why: string): void => {
      if (done) return;
      done = true;
      clearTimeout(handshakeTimer);
      this.onRefused?.(peer, why);
      socket.end(encodeReply(REPLY_REFUSE, why));
      // The reply is the last word; a peer that does not close its side is cut.
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    const onReadRefused = (): void => {
      if (reader.refusal !== undefined) refuse(reader.refusal);
    };
    const adopted = adoptForOnread(accepted, {
      buffer: () => reader.next(),
      // After a refusal the reader discards what still comes, and reading goes on: the peer's end of the
      // connection is seen (and the socket closes) as soon as it closes its side, not at the cut a second later.
      callback: (n) => {
        if (!reader.filled(n)) onReadRefused();
        return true;
      },
    });
    const socket = adopted ?? accepted;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    if (!adopted) {
      socket.on('data', (piece: Buffer) => {
        if (!done && !reader.push(piece)) onReadRefused();
      });
    }
    socket.resume();
    const handshakeTimer = setTimeout(
      () => refuse(`no hello within ${this.handshakeTimeoutMs} ms`),
      this.handshakeTimeoutMs,
    );
    socket.on('error', (err) => {
      if (!done) this.onRefused?.(peer, `connection failed: ${err.message}`);
    });
    socket.on('close', () => {
      clearTimeout(handshakeTimer);
      this.sockets.delete(socket);
      if (done) return;
      const left = reader.unfinished();
      if (left?.kind === 'hello') this.onRefused?.(peer, 'the connection closed in the middle of its hello');
      else if (left) {
        this.onRefused?.(
          peer,
          `the connection closed in the middle of a frame (truncated: ${left.got} of ${left.want} bytes); the partial chunk was dropped`,
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

  /** Checks a chunk's header (no `data`) or checks and takes the whole chunk; returns the refusal, if any. */
  private take(frame: ChunkArrival, data?: Uint8Array): string | undefined {
    const receiver = this.receiver;
    if (!receiver) return `ring server ${this.address} has no ring session (not configured yet, or closed)`;
    try {
      return data ? receiver.take(frame, data) : receiver.check(frame);
    } catch (err) {
      // A bug on this side, not the sender's fault: break the session so the local op reports it too.
      const reason = err instanceof Error ? err.message : String(err);
      receiver.breakWith(new Error(`rank ${receiver.rank} failed to take a chunk: ${reason}`, { cause: err }));
      return `rank ${receiver.rank} failed to take a chunk: ${reason}`;
    }
  }
}
