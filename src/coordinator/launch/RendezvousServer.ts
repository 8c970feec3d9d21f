/**
 * The coordinator's Rendezvous service: workers Join with the addresses of their Worker service and ring data plane, and
 * get a rank. A worker may ask for a rank (Slurm's SLURM_PROCID, a PyTorchJob's RANK, a local launcher's index);
 * otherwise it gets the highest free one, so workers that ask for low ranks keep them. A repeated Join from the
 * same address (a retry) gets the same rank. Joined workers Ping it to check the coordinator is alive.
 *
 * With `elastic`, a member the run has lost is released, and a worker that joins after the world was complete
 * takes a free rank and is handed to the onLateJoin listener (the run admits it at a step boundary).
 */
import * as grpc from '@grpc/grpc-js';
import { authServerOptions, requireTokenToBind, serverCredentials } from '../../shared/auth/index.js';
import { formatHostPort, parseHostPort } from '../../shared/config/index.js';
import type { Logger } from '../../shared/log/index.js';
import { loadProto } from '../../shared/proto/loadProto.js';
import { workerChannelOptions } from '../../shared/proto/workerChannelOptions.js';
import type { JoinRequest__Output } from '../../shared/proto/generated/superconverge/v1/JoinRequest.js';
import type { RendezvousHandlers } from '../../shared/proto/generated/superconverge/v1/Rendezvous.js';

export interface Member {
  rank: number;
  workerAddress: string;
  ringAddress: string;
  hostname: string;
  /** The worker process's heartbeat (empty: none). */
  heartbeatAddress: string;
}

interface RendezvousOptions {
  /** host:port to bind (port 0: any free port). */
  bindAddress: string;
  worldSize: number;
  runId: string;
  log: Logger;
  /** Admit workers that join after the world was complete, into ranks released by release() (--elastic). */
  elastic?: boolean;
}

type Refusal = { code: grpc.status; details: string };

/** The coordinator cannot bind its address (a port in use, an address not on this machine): said in one line. */
class ListenError extends Error {
  override name = 'ListenError';
  constructor(address: string, cause: Error) {
    const why = /EADDRINUSE|address already in use/i.test(cause.message)
      ? 'the port is in use (another run, or choose another port)'
      : /EADDRNOTAVAIL|cannot assign/i.test(cause.message)
        ? "that address is not one of this machine's"
        : cause.message;
    super(`the coordinator could not listen on ${address}: ${why}`, { cause });
  }
}

export class RendezvousServer {
  /** host:port bound. */
  readonly address: string;
  private readonly members = new Map<number, Member>();
  private allJoined!: () => void;
  private readonly joined: Promise<void>;
  private closed = false;
  private complete = false;
  private lateJoin: ((m: Member) => void) | undefined;
  private endWait: (() => void) | undefined;

  private constructor(
    private readonly server: grpc.Server,
    address: string,
    private readonly opts: RendezvousOptions,
  ) {
    this.address = address;
    this.joined = new Promise((resolve) => {
      this.allJoined = resolve;
    });
  }

  static async listen(opts: RendezvousOptions): Promise<RendezvousServer> {
    const { host } = parseHostPort(opts.bindAddress, 'the rendezvous address');
    requireTokenToBind(host, 'the coordinator (--listen)');
    const server = new grpc.Server({
      ...workerChannelOptions(),
      ...authServerOptions((method, why) => opts.log.warn({ method }, `refused a call with ${why}`)),
    });
    let self: RendezvousServer | undefined;
    const handlers: RendezvousHandlers = {
      Join: (call, callback) => {
        const r = self
          ? self.admit(call.request)
          : { code: grpc.status.UNAVAILABLE, details: 'rendezvous is starting' };
        if ('code' in r) callback(r);
        else callback(null, { rank: r.rank, worldSize: opts.worldSize, runId: opts.runId });
      },
      Ping: (call, callback) =>
        callback(null, { runId: opts.runId, member: self ? self.isMember(call.request.workerAddress) : true }),
    };
    server.addService(loadProto().superconverge.v1.Rendezvous.service, handlers);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(opts.bindAddress, serverCredentials(), (err, bound) => {
        if (err) reject(new ListenError(opts.bindAddress, err));
        else resolve(bound);
      });
    });
    self = new RendezvousServer(server, formatHostPort(host, port), opts);
    return self;
  }

  /**
   * Resolves with every member, by rank, once the world is complete. Rejects after timeoutMs, or when `failed`
   * rejects first (a local worker died before joining), naming who joined and which ranks are missing.
   */
  async waitForAll(timeoutMs: number, failed?: Promise<never>): Promise<Member[]> {
    let timer: NodeJS.Timeout | undefined;
    // close() ends the wait too (the caller gave up on it: Ctrl-C, SIGTERM), so its timer does not hold the process.
    const closed = new Promise<never>((_, reject) => {
      this.endWait = () => reject(new Error(`the rendezvous at ${this.address} was closed`));
    });
    closed.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `only ${this.members.size} of ${this.opts.worldSize} workers joined ${this.address} within ${timeoutMs} ms ` +
                `(SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS): ${this.describe()}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.joined, timeout, closed, ...(failed ? [failed] : [])]);
    } finally {
      clearTimeout(timer);
      this.endWait = undefined;
    }
    return this.joinedSoFar();
  }

  /** Hands every worker that joins after the world was complete to `listener` (with `elastic`). */
  onLateJoin(listener: (m: Member) => void): void {
    this.lateJoin = listener;
  }

  /** Frees the rank of a member the run has lost (with `elastic`), so that a worker can join in its place. */
  release(workerAddress: string): void {
    if (!this.opts.elastic) return;
    for (const [rank, m] of this.members) if (m.workerAddress === workerAddress) this.members.delete(rank);
  }

  /** Whether the worker at `workerAddress` is in the run (a released one is not). */
  isMember(workerAddress: string): boolean {
    return [...this.members.values()].some((m) => m.workerAddress === workerAddress);
  }

  /** Members that have joined so far, by rank. */
  joinedSoFar(): Member[] {
    return [...this.members.values()].sort((a, b) => a.rank - b.rank);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endWait?.();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1000);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Who joined and which ranks are missing, for messages. */
  describe(): string {
    const joined = [...this.members.values()]
      .sort((a, b) => a.rank - b.rank)
      .map((m) => `rank ${m.rank} from ${m.hostname} (${m.workerAddress})`);
    const missing = Array.from({ length: this.opts.worldSize }, (_, r) => r).filter((r) => !this.members.has(r));
    return `${joined.length ? `joined: ${joined.join(', ')}` : 'none joined'}; missing ranks ${missing.join(', ') || 'none'}`;
  }

  private admit(req: JoinRequest__Output): Member | Refusal {
    const n = this.opts.worldSize;
    for (const m of this.members.values()) {
      if (m.workerAddress === req.workerAddress && m.ringAddress === req.ringAddress) return m;
      if (m.workerAddress === req.workerAddress || m.ringAddress === req.ringAddress) {
        return {
          code: grpc.status.ALREADY_EXISTS,
          details: `rank ${m.rank} already joined with address ${m.workerAddress} / ring ${m.ringAddress}`,
        };
      }
    }
    for (const [field, value] of [
      ['worker_address', req.workerAddress],
      ['ring_address', req.ringAddress],
    ] as const) {
      try {
        parseHostPort(value, field);
      } catch {
        return { code: grpc.status.INVALID_ARGUMENT, details: `${field} must be host:port, got '${value}'` };
      }
    }
    if (this.members.size >= n)
      return { code: grpc.status.FAILED_PRECONDITION, details: `all ${n} workers have joined already` };
    let rank = req.requestedRank;
    if (rank >= n)
      return { code: grpc.status.INVALID_ARGUMENT, details: `requested rank ${rank} is not below the world size ${n}` };
    if (rank >= 0 && this.members.has(rank)) {
      const m = this.members.get(rank)!;
      return {
        code: grpc.status.ALREADY_EXISTS,
        details: `rank ${rank} is taken by ${m.hostname} (${m.workerAddress})`,
      };
    }
    if (rank < 0) {
      rank = n - 1;
      while (this.members.has(rank)) rank--;
    }
    const member: Member = {
      rank,
      workerAddress: req.workerAddress,
      ringAddress: req.ringAddress,
      hostname: req.hostname || '?',
      heartbeatAddress: req.heartbeatAddress,
    };
    this.members.set(rank, member);
    this.opts.log.info(
      { rank, worker: member.workerAddress, ring: member.ringAddress, host: member.hostname },
      `worker joined (${this.members.size}/${n})`,
    );
    // After the Join reply has gone out, so the worker knows its run before the coordinator configures it.
    if (this.complete) setImmediate(() => this.lateJoin?.(member));
    if (this.members.size === n && !this.complete) {
      this.complete = true;
      this.allJoined();
    }
    return member;
  }
}
