/**
 * A rank's ring data plane, outbound: TCP (or mutual-TLS) connections to its right neighbour's RingServer, each
 * opened with a HELLO (ring id, this rank, the run's token) and then carrying chunk frames (ringFrames.ts). A
 * frame's data is written straight from the caller's Float32Array (no copy): send() resolves once the bytes have
 * left this process, and the caller must not change them before. Every send has a deadline; a refusal from the
 * receiver, a closed connection or a missed deadline fails the link, and every later send, with one message.
 */
import net from 'node:net';
import tls from 'node:tls';
import { runTlsFiles, runToken } from '../../shared/auth/index.js';
import {
  ByteQueue,
  MAX_MESSAGE_BYTES,
  REPLY_ACCEPT,
  REPLY_FIXED_BYTES,
  REPLY_REFUSE,
  encodeChunkHeader,
  encodeHello,
  type ChunkHeader,
} from './ringFrames.js';

export interface RingLinkOptions {
  /** host:port of the right neighbour's RingServer. */
  address: string;
  /** The ring this link belongs to: the receiver refuses chunks of any other. */
  ringId: string;
  fromRank: number;
  /** Deadline of the connect + handshake, and of every send, in ms. */
  deadlineMs: number;
}

/** Why a link failed, as one line for a CollectiveError (the caller names the peer). */
export class RingLinkError extends Error {
  /** 'unreachable': never connected; 'refused': the receiver said no; 'deadline': a send timed out; 'closed'. */
  readonly kind: 'unreachable' | 'refused' | 'deadline' | 'closed';
  constructor(kind: RingLinkError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RingLinkError';
    this.kind = kind;
  }
}

function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

export class RingLink {
  private readonly sockets: net.Socket[] = [];
  private readonly deadlineMs: number;
  /** The socket the next chunk goes to (chunks are dealt round-robin over the link's connections). */
  private next = 0;
  private failure: RingLinkError | undefined;
  private readonly failListeners: ((err: RingLinkError) => void)[] = [];
  private readonly pending = new Set<(err: RingLinkError) => void>();

  private constructor(deadlineMs: number) {
    this.deadlineMs = deadlineMs;
  }

  /**
   * Opens `connections` connections (each with its handshake); rejects with a RingLinkError when the peer is
   * unreachable or refuses. Several connections give the kernel several sockets' buffers of chunks in flight, so
   * that each wake-up of the receiving thread finds more to read (NCCL's sockets per peer).
   */
  static async connect(opts: RingLinkOptions & { connections?: number }): Promise<RingLink> {
    const link = new RingLink(opts.deadlineMs);
    const n = opts.connections ?? 1;
    try {
      await Promise.all(Array.from({ length: n }, () => link.open(opts)));
    } catch (err) {
      link.fail(err as RingLinkError);
      throw err;
    }
    return link;
  }

  /** Opens one connection and handshakes on it. */
  private open(opts: RingLinkOptions): Promise<void> {
    const { host, port } = splitHostPort(opts.address);
    const files = runTlsFiles();
    const socket = files
      ? tls.connect({
          host,
          port,
          ca: files.ca,
          cert: files.cert,
          key: files.key,
          // SNI takes host names only; an IP address is checked against the certificate's IP subjectAltName.
          servername: net.isIP(host) ? undefined : host,
        })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    this.sockets.push(socket);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: RingLinkError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          socket.destroy();
          reject(err);
        } else resolve();
      };
      const timer = setTimeout(
        () =>
          settle(
            new RingLinkError('deadline', `did not complete the handshake within the ${opts.deadlineMs} ms deadline`),
          ),
        opts.deadlineMs,
      );
      socket.once(files ? 'secureConnect' : 'connect', () => {
        socket.write(encodeHello({ fromRank: opts.fromRank, ringId: opts.ringId, token: runToken() ?? '' }));
      });
      const replies = new ByteQueue();
      let fixed: Buffer | undefined;
      socket.on('data', (piece: Buffer) => {
        replies.push(piece);
        for (;;) {
          fixed ??= replies.take(REPLY_FIXED_BYTES);
          if (!fixed) return;
          const bytes = Math.min(fixed.readUInt32LE(4), MAX_MESSAGE_BYTES);
          const text = replies.take(bytes);
          if (!text) return;
          const kind = fixed.readUInt8(0);
          fixed = undefined;
          if (kind === REPLY_ACCEPT && !settled) {
            settle();
            continue;
          }
          const err =
            kind === REPLY_REFUSE
              ? new RingLinkError('refused', `refused: ${text.toString('utf8')}`)
              : new RingLinkError(
                  'refused',
                  `answered with an unknown reply kind ${kind} (not a superconverge ring peer of this version?)`,
                );
          if (settled) this.fail(err);
          else settle(err);
          socket.destroy();
          return;
        }
      });
      socket.on('error', (err) => {
        const e = settled
          ? new RingLinkError('closed', `the connection failed: ${err.message}`, { cause: err })
          : new RingLinkError('unreachable', `is unreachable: ${err.message}`, { cause: err });
        if (settled) this.fail(e);
        else settle(e);
      });
      socket.on('close', () => {
        const e = new RingLinkError(
          settled ? 'closed' : 'unreachable',
          settled ? 'closed the connection' : 'closed the connection during the handshake',
        );
        if (settled) this.fail(e);
        else settle(e);
      });
    });
  }

  /** Called once when the link fails (at once if it already has). */
  onFailure(listener: (err: RingLinkError) => void): void {
    if (this.failure) listener(this.failure);
    else this.failListeners.push(listener);
  }

  /**
   * Writes one chunk frame: the header, then `data` as it is (a view on the caller's buffer). Resolves once the
   * bytes are handed to the kernel; rejects on the deadline or when the link fails.
   */
  send(header: Omit<ChunkHeader, 'dataBytes'>, data: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      const onFail = (err: RingLinkError): void => {
        clearTimeout(timer);
        reject(err);
      };
      const timer = setTimeout(() => {
        this.fail(new RingLinkError('deadline', `did not take a chunk within the ${this.deadlineMs} ms deadline`));
      }, this.deadlineMs);
      this.pending.add(onFail);
      const socket = this.sockets[this.next];
      this.next = (this.next + 1) % this.sockets.length;
      socket.cork();
      socket.write(encodeChunkHeader({ ...header, dataBytes: data.byteLength }));
      socket.write(data, (err) => {
        clearTimeout(timer);
        this.pending.delete(onFail);
        if (err) {
          const e =
            this.failure ?? new RingLinkError('closed', `the connection failed: ${err.message}`, { cause: err });
          this.fail(e);
          reject(e);
        } else resolve();
      });
      socket.uncork();
    });
  }

  /** Closes the connection; later sends fail. Idempotent. */
  close(): void {
    this.fail(new RingLinkError('closed', 'the link was closed'));
  }

  private fail(err: RingLinkError): void {
    if (this.failure) return;
    this.failure = err;
    for (const reject of this.pending) reject(err);
    this.pending.clear();
    for (const listener of this.failListeners.splice(0)) listener(err);
    for (const socket of this.sockets) socket.destroy();
  }
}
