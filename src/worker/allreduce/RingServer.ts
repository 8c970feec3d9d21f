/**
 * A rank's Ring gRPC service: binds host:port (127.0.0.1:0 by default), reports the bound address, and hands
 * every pushed chunk to the ring session attached to it. It answers only deliberate statuses
 * (INVALID_ARGUMENT, FAILED_PRECONDITION, INTERNAL with a one-line reason), never a stack trace.
 */
import * as grpc from '@grpc/grpc-js';
import { authServerOptions, requireTokenToBind, serverCredentials } from '../../shared/auth/index.js';
import { loadProto } from '../../shared/proto/loadProto.js';
import type { ChunkAck } from '../../shared/proto/generated/superconverge/v1/ChunkAck.js';
import type { ChunkMessage__Output } from '../../shared/proto/generated/superconverge/v1/ChunkMessage.js';
import type { RingHandlers } from '../../shared/proto/generated/superconverge/v1/Ring.js';
import type { RingReceiver } from './RingReceiver.js';
import { ringChannelOptions } from './ringChannelOptions.js';

export interface RingServerOptions {
  /** host:port to bind; port 0 picks a free port. Default 127.0.0.1:0. */
  bindAddress?: string;
  /** Milliseconds close() waits for in-flight calls before cutting them. Default 1000. */
  closeGraceMs?: number;
  /** Told of every call refused for its token (to log it). */
  onRefused?(method: string, why: string): void;
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
  private readonly server: grpc.Server;
  private readonly closeGraceMs: number;
  private receiver: RingReceiver | undefined;
  private closed = false;

  private constructor(server: grpc.Server, address: string, closeGraceMs: number) {
    this.server = server;
    this.address = address;
    this.closeGraceMs = closeGraceMs;
  }

  /** Starts a Ring server; resolves once it is bound. */
  static async listen(opts: RingServerOptions = {}): Promise<RingServer> {
    const bindAddress = opts.bindAddress ?? '127.0.0.1:0';
    const { host } = splitHostPort(bindAddress);
    requireTokenToBind(host, 'the ring server');
    const server = new grpc.Server({ ...ringChannelOptions(), ...authServerOptions(opts.onRefused) });
    let ring: RingServer | undefined;
    const handlers: RingHandlers = {
      PushChunk: (call, callback) => {
        const refusal = ring ? ring.take(call.request) : { code: grpc.status.UNAVAILABLE, details: 'ring server is starting' };
        if (refusal) callback({ code: refusal.code, details: refusal.details });
        else callback(null, {} satisfies ChunkAck);
      },
    };
    server.addService(loadProto().superconverge.v1.Ring.service, handlers);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(bindAddress, serverCredentials(), (err, bound) => {
        if (err) reject(new Error(`ring server could not bind ${bindAddress}: ${err.message}`, { cause: err }));
        else resolve(bound);
      });
    });
    ring = new RingServer(server, `${host}:${port}`, opts.closeGraceMs ?? 1000);
    return ring;
  }

  /** Routes pushed chunks to `receiver` (one ring session at a time). */
  attach(receiver: RingReceiver): void {
    if (this.closed) throw new Error(`ring server ${this.address} is closed`);
    if (this.receiver && this.receiver !== receiver) {
      throw new Error(`ring server ${this.address} already serves run '${this.receiver.runId}' as rank ${this.receiver.rank}; close that collective first`);
    }
    this.receiver = receiver;
  }

  /** Stops routing to `receiver` (if it is the attached one). */
  detach(receiver: RingReceiver): void {
    if (this.receiver === receiver) this.receiver = undefined;
  }

  /** Stops the server: waits up to closeGraceMs for in-flight calls, then cuts them. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.receiver = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { this.server.forceShutdown(); resolve(); }, this.closeGraceMs);
      this.server.tryShutdown(() => { clearTimeout(timer); resolve(); });
    });
  }

  private take(msg: ChunkMessage__Output): { code: grpc.status; details: string } | undefined {
    const receiver = this.receiver;
    if (!receiver) {
      return { code: grpc.status.FAILED_PRECONDITION, details: `ring server ${this.address} has no ring session (not configured yet, or closed)` };
    }
    try {
      return receiver.take(msg);
    } catch (err) {
      // A bug on this side, not the pusher's fault: break the session so the local op reports it too.
      const reason = err instanceof Error ? err.message : String(err);
      receiver.breakWith(new Error(`rank ${receiver.rank} failed to take a chunk: ${reason}`, { cause: err }));
      return { code: grpc.status.INTERNAL, details: `rank ${receiver.rank} failed to take a chunk: ${reason}` };
    }
  }
}
