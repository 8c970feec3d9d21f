import type { AbortReply__Output } from '../shared/proto/generated/superconverge/v1/AbortReply.js';
import type { AbortRequest__Output } from '../shared/proto/generated/superconverge/v1/AbortRequest.js';
import type { ChecksumReply__Output } from '../shared/proto/generated/superconverge/v1/ChecksumReply.js';
import type { ConfigureReply__Output } from '../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import type { ConfigureRequest__Output } from '../shared/proto/generated/superconverge/v1/ConfigureRequest.js';
import type { EvaluateReply__Output } from '../shared/proto/generated/superconverge/v1/EvaluateReply.js';
import type { EvaluateRequest__Output } from '../shared/proto/generated/superconverge/v1/EvaluateRequest.js';
import type { ExportModelReply__Output } from '../shared/proto/generated/superconverge/v1/ExportModelReply.js';
import type { ReformRequest__Output } from '../shared/proto/generated/superconverge/v1/ReformRequest.js';
import type { StateReply__Output } from '../shared/proto/generated/superconverge/v1/StateReply.js';
import type { StepReply__Output } from '../shared/proto/generated/superconverge/v1/StepReply.js';
import type { StepRequest__Output } from '../shared/proto/generated/superconverge/v1/StepRequest.js';

/**
 * The coordinator's view of one worker: the Worker service of proto/superconverge.proto, whether the worker runs
 * in this thread (LocalWorkerHandle) or behind gRPC. Message types are the generated ones.
 */
export interface WorkerHandle {
  readonly rank: number;
  /** Where the worker runs ('in-process', or host:port), for error messages. */
  readonly address: string;
  configure(req: ConfigureRequest__Output): Promise<ConfigureReply__Output>;
  step(req: StepRequest__Output): Promise<StepReply__Output>;
  evaluate(req: EvaluateRequest__Output): Promise<EvaluateReply__Output>;
  checksum(runId: string): Promise<ChecksumReply__Output>;
  syncBuffers(runId: string): Promise<void>;
  getState(runId: string): Promise<StateReply__Output>;
  setState(state: StateReply__Output): Promise<void>;
  exportModel(runId: string): Promise<ExportModelReply__Output>;
  shutdown(runId: string, reason: string): Promise<void>;
  /** --elastic: fail the collective in flight and leave ring `ringId`; the last step applied. */
  abort(req: AbortRequest__Output): Promise<AbortReply__Output>;
  /** --elastic: join a new ring with a new rank and world size. */
  reform(req: ReformRequest__Output): Promise<void>;
}
