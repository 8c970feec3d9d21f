/**
 * `superconverge worker --join HOST:PORT`: start a WorkerNode, join the coordinator's Rendezvous, and serve until
 * the run ends. Local thread and process workers take the same path as remote machines.
 */
import net from 'node:net';
import os from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { authClientOptions, channelCredentials } from '../../shared/auth/index.js';
import { parseHostPort, settings } from '../../shared/config/index.js';
import type { Logger } from '../../shared/log/index.js';
import { loadProto } from '../../shared/proto/loadProto.js';
import { workerChannelOptions } from '../../shared/proto/workerChannelOptions.js';
import type { JoinReply__Output } from '../../shared/proto/generated/superconverge/v1/JoinReply.js';
import type { JoinRequest } from '../../shared/proto/generated/superconverge/v1/JoinRequest.js';
import { watchCoordinator } from './watchCoordinator.js';
import { WorkerNode } from './WorkerNode.js';

interface JoinOptions {
  /** host:port of the coordinator's Rendezvous service. */
  coordinator: string;
  /** Address to bind and advertise; default: this machine's address on the route to the coordinator. */
  host?: string;
  /** Rank to ask for; default: the coordinator chooses. */
  rank?: number;
  log: Logger;
  /** Give up joining after this long (the coordinator may start after its workers). Default: settings().rendezvousTimeoutMs. */
  joinTimeoutMs?: number;
  /**
   * Watch that the coordinator is alive and still counts this worker in (default true). A worker thread of the
   * coordinator's own process does not: it cannot outlive the process, and its Pings' HTTP/2 traffic would make
   * terminating it riskier (worker.terminate() during an HTTP/2 read aborts the process, nodejs/node#38418).
   */
  watchCoordinator?: boolean;
}

interface JoinedWorker {
  rank: number;
  worldSize: number;
  workerAddress: string;
  ringAddress: string;
  /** Resolves with the reason when the worker stops serving (Shutdown, idle). */
  finished: Promise<string>;
  close(reason: string): Promise<void>;
}

const RETRY_MS = 500;

/** This machine's address on the route to host:port (the local end of a TCP connection to it). */
function localAddressTowards(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      const local = socket.localAddress;
      socket.destroy();
      if (local) resolve(local.replace(/^::ffff:/, ''));
      else reject(new Error(`connected to ${host}:${port} but the socket has no local address`));
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
  });
}

/** Joining the coordinator failed for good (refused, or not reachable within the rendezvous timeout): one line. */
class JoinError extends Error {
  override name = 'JoinError';
}

async function retryUntil<T>(
  what: string,
  deadline: number,
  attempt: () => Promise<T>,
  retryable: (e: unknown) => boolean,
  o: { log: Logger; waiting: string; hint?: (e: unknown) => string },
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (!retryable(err) || Date.now() + RETRY_MS >= deadline) {
        const waited = tries > 1 ? ` (after ${tries} tries)` : '';
        throw new JoinError(`${what}${waited}: ${why}${o.hint?.(err) ?? ''}`, { cause: err });
      }
      // Said once, so that a worker started before its coordinator does not look hung.
      if (tries === 1) {
        o.log.warn(
          `${o.waiting} (${why}); retrying every ${RETRY_MS} ms until ${new Date(deadline).toISOString()} (SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS)`,
        );
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

function join(coordinator: string, req: JoinRequest): Promise<JoinReply__Output> {
  const Rendezvous = loadProto().superconverge.v1.Rendezvous;
  const client = new Rendezvous(coordinator, channelCredentials(), {
    ...workerChannelOptions(),
    ...authClientOptions(),
  });
  return new Promise<JoinReply__Output>((resolve, reject) => {
    client.Join(req, { deadline: Date.now() + settings().joinDeadlineMs }, (err, reply) => {
      client.close();
      if (err) reject(err);
      else if (!reply) reject(new Error('empty Join reply'));
      else resolve(reply);
    });
  });
}

/** Starts serving and joins the coordinator; resolves once joined (the worker then serves until `finished`). */
export async function joinCoordinator(opts: JoinOptions): Promise<JoinedWorker> {
  const { host: cHost, port: cPort } = parseHostPort(opts.coordinator, '--join');
  const deadline = Date.now() + (opts.joinTimeoutMs ?? settings().rendezvousTimeoutMs);
  const connectRetryable = (e: unknown): boolean =>
    ['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'].includes(
      (e as { code?: string }).code ?? '',
    );
  const host =
    opts.host ??
    (await retryUntil(
      `cannot reach the coordinator at ${opts.coordinator}`,
      deadline,
      () => localAddressTowards(cHost, cPort, 5000),
      connectRetryable,
      { log: opts.log, waiting: `the coordinator at ${opts.coordinator} is not reachable yet` },
    ));
  const node = await WorkerNode.start({ host, log: opts.log });
  try {
    const reply = await retryUntil(
      `joining the coordinator at ${opts.coordinator} failed`,
      deadline,
      () =>
        join(opts.coordinator, {
          workerAddress: node.workerAddress,
          ringAddress: node.ringAddress,
          hostname: os.hostname(),
          requestedRank: opts.rank ?? -1,
          heartbeatAddress: node.heartbeatAddress,
        }),
      (e) => (e as { code?: number }).code === grpc.status.UNAVAILABLE,
      {
        log: opts.log,
        waiting: `the coordinator at ${opts.coordinator} does not answer Join yet`,
        hint: (e) =>
          [grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes((e as { code?: number }).code ?? -1)
            ? ` (something accepts connections at ${opts.coordinator}, but no superconverge coordinator answered: is it \`superconverge fit --listen\`, and the same --tls-* setting?)`
            : '',
      },
    );
    opts.log.info(
      { rank: reply.rank, worldSize: reply.worldSize, worker: node.workerAddress, ring: node.ringAddress },
      `joined run ${reply.runId} at ${opts.coordinator}`,
    );
    // A coordinator that dies or hangs never sends Shutdown: notice it within the liveness timeout and stop serving.
    if (opts.watchCoordinator ?? true) {
      const watch = watchCoordinator(
        opts.coordinator,
        { runId: reply.runId, workerAddress: node.workerAddress },
        settings().livenessTimeoutMs,
        (why) => {
          opts.log.error(`${why}: the run is over for this worker (rank ${reply.rank}); exiting`);
          void node.close(`coordinator lost: ${why}`);
        },
      );
      void node.finished.then(() => watch.stop());
    }
    return {
      rank: reply.rank,
      worldSize: reply.worldSize,
      workerAddress: node.workerAddress,
      ringAddress: node.ringAddress,
      finished: node.finished,
      close: (reason) => node.close(reason),
    };
  } catch (err) {
    await node.close('join failed');
    throw err;
  }
}
