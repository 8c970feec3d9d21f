/**
 * A worker's Worker gRPC service: the TrainingWorker's methods behind the wire, one call at a time, with errors
 * mapped by grpcStatusOf. Shutdown answers first and then tells the owner (which closes the servers).
 */
import * as grpc from '@grpc/grpc-js';
import { authServerOptions, requireTokenToBind, serverCredentials } from '../../shared/auth/index.js';
import type { Logger } from '../../shared/log/index.js';
import { loadProto } from '../../shared/proto/loadProto.js';
import { workerChannelOptions } from '../../shared/proto/workerChannelOptions.js';
import type { StepRequest__Output } from '../../shared/proto/generated/superconverge/v1/StepRequest.js';
import type { WorkerHandlers } from '../../shared/proto/generated/superconverge/v1/Worker.js';
import type { TrainingWorker } from '../TrainingWorker.js';
import { describeAdapter, type AdapterInfo } from '../../shared/gpu/index.js';
import { grpcStatusOf } from './grpcStatusOf.js';

interface WorkerServerOptions {
  /** host:port to bind; port 0 picks a free one. */
  bindAddress: string;
  worker: TrainingWorker;
  log: Logger;
  /** Called after a Shutdown has been answered, with its reason. */
  onShutdown(reason: string): void;
}

/** A call's failure as the status it ends with (already logged). */
class CallFailure extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

export class WorkerServer {
  /** host:port the service is reachable at (the bound port with the host it was asked to bind). */
  readonly address: string;
  /** performance.now() of the last call's start or end; for the owner's idle timeout. */
  lastActivity = performance.now();
  /** Calls running now. */
  inFlight = 0;
  private rank: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly server: grpc.Server,
    address: string,
  ) {
    this.address = address;
  }

  static async listen(opts: WorkerServerOptions): Promise<WorkerServer> {
    requireTokenToBind(opts.bindAddress.slice(0, opts.bindAddress.lastIndexOf(':')), 'the worker server');
    const server = new grpc.Server({
      ...workerChannelOptions(),
      ...authServerOptions((method, why) => opts.log.warn({ method }, `refused a call with ${why}`)),
    });
    let self: WorkerServer | undefined;
    const w = opts.worker;
    const isRangeError = (e: unknown): boolean => e instanceof RangeError;
    // Calls run one after another, in arrival order: the worker is not re-entrant and the coordinator never
    // overlaps calls on purpose. Shutdown and Abort do not queue, so a hung call (a Step blocked in the ring on a
    // lost peer) cannot hold them. A failed call's status is logged here (deliberate errors as warnings).
    const perform = <Req, Res>(
      call: string,
      req: Req,
      fn: (req: Req) => Res | Promise<Res>,
      queued = true,
      invalidInput = (_e: unknown) => false,
    ): Promise<Res> => {
      const s = self!;
      s.inFlight++;
      s.lastActivity = performance.now();
      const run = (): Promise<Res> => Promise.resolve().then(() => fn(req));
      const result = queued ? s.queue.then(run, run) : run();
      if (queued) s.queue = result.catch(() => undefined);
      return result
        .catch((err: unknown) => {
          const status = grpcStatusOf(err, call, s.rank, invalidInput);
          if (status.deliberate) opts.log.warn({ call, code: grpc.status[status.code] }, status.details);
          else opts.log.error({ err, call }, `${call} failed`);
          throw new CallFailure(status.code, status.details);
        })
        .finally(() => {
          s.inFlight--;
          s.lastActivity = performance.now();
        });
    };
    const unary =
      <Req, Res>(
        call: string,
        fn: (req: Req) => Res | Promise<Res>,
        queued = true,
        invalidInput = (_e: unknown) => false,
      ): grpc.handleUnaryCall<Req, Res> =>
      (c, callback) => {
        perform(call, c.request, fn, queued, invalidInput).then(
          (reply) => callback(null, reply),
          (f: CallFailure) => callback({ code: f.code, details: f.details }),
        );
      };
    const handlers: WorkerHandlers = {
      Configure: unary('Configure', async (req) => {
        const reply = await w.configure(req);
        self!.rank = req.rank;
        const adapter = reply.adapterJson ? (JSON.parse(reply.adapterJson) as AdapterInfo) : undefined;
        opts.log.info(
          { rank: req.rank, worldSize: req.worldSize, backend: reply.backend, ...(adapter && { adapter }) },
          `configured for run ${req.runId}${adapter ? ` on ${describeAdapter(adapter)}` : ''}`,
        );
        return reply;
      }),
      Step: unary('Step', (req) => w.step(req)),
      // Each StepRequest is one step, queued like a Step call, answered in order; the first failure ends the stream
      // with its status (the steps sent after it are not run) and the coordinator opens a new stream for the next.
      StepStream: (c) => {
        // Set when a step fails, before the steps queued behind it get their turn: those are not run.
        let failed = false;
        let ended = false;
        let last: Promise<unknown> = Promise.resolve();
        const step = async (req: StepRequest__Output) => {
          if (failed) return undefined;
          try {
            return await w.step(req);
          } catch (err) {
            failed = true;
            throw err;
          }
        };
        c.on('data', (req: StepRequest__Output) => {
          if (failed) return;
          const result = perform('Step', req, step);
          result.catch(() => undefined); // handled below, in turn
          // Replies and the failure go out in the order the steps came.
          last = last
            .then(() => result)
            .then(
              (reply) => {
                if (!ended && reply) c.write(reply);
              },
              (f: CallFailure) => {
                if (ended) return;
                ended = true;
                c.emit('error', { code: f.code, details: f.details });
              },
            );
        });
        // The coordinator half-closed it (shutting down, or done with this worker): end after the steps in flight.
        c.on('end', () => {
          void last.then(() => {
            if (!failed && !ended) {
              ended = true;
              c.end();
            }
          });
        });
      },
      Evaluate: unary('Evaluate', (req) => w.evaluate(req)),
      Checksum: unary('Checksum', (req) => w.checksum(req.runId)),
      SyncBuffers: unary('SyncBuffers', async (req) => {
        await w.syncBuffers(req.runId);
        return {};
      }),
      GetState: unary('GetState', (req) => w.getState(req.runId)),
      SetState: unary(
        'SetState',
        (req) => {
          w.setState(req);
          return {};
        },
        true,
        isRangeError,
      ),
      ExportModel: unary('ExportModel', (req) => w.exportModel(req.runId)),
      Abort: unary(
        'Abort',
        async (req) => {
          const reply = await w.abort({ ...req, reason: req.reason || 'the coordinator aborted the step' });
          opts.log.info({ lastStep: reply.lastStep }, `left the ring: ${req.reason || 'aborted by the coordinator'}`);
          return reply;
        },
        false,
      ),
      Reform: unary('Reform', async (req) => {
        await w.reform(req);
        self!.rank = req.rank;
        opts.log.info(
          { rank: req.rank, worldSize: req.worldSize, nextStep: req.nextStep },
          `joined ring ${req.ringId}`,
        );
        return {};
      }),
      Shutdown: (c, callback) => {
        self!.lastActivity = performance.now();
        w.shutdown().then(
          () => {
            callback(null, {});
            opts.onShutdown(c.request.reason || 'the coordinator asked');
          },
          (err: unknown) => {
            opts.log.error({ err }, 'Shutdown failed');
            callback({ code: grpc.status.INTERNAL, details: "internal error in Shutdown (see that worker's log)" });
            opts.onShutdown('Shutdown failed');
          },
        );
      },
    };
    server.addService(loadProto().superconverge.v1.Worker.service, handlers);
    const host = opts.bindAddress.slice(0, opts.bindAddress.lastIndexOf(':'));
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(opts.bindAddress, serverCredentials(), (err, bound) => {
        if (err) reject(new Error(`worker server could not bind ${opts.bindAddress}: ${err.message}`, { cause: err }));
        else resolve(bound);
      });
    });
    self = new WorkerServer(server, `${host}:${port}`);
    return self;
  }

  /** Stops the server, letting answered calls flush for up to graceMs. Idempotent. */
  async close(graceMs = 1000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
