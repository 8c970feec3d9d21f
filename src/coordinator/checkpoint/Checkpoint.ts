import type { FitConfig } from '../../shared/config/index.js';
import type { StateReply__Output } from '../../shared/proto/generated/superconverge/v1/StateReply.js';
import type { EpochRecord } from '../../reporting/index.js';

/** Where the training loop stands after a step: everything it needs, besides the replicas, to go on exactly. */
export interface LoopState {
  /** The next global step (0-based); it also fixes the position in the data order (epoch, batch in epoch). */
  nextIteration: number;
  /** SmoothLoss's running average and count. */
  smoothLoss: { avg: number; n: number };
  /** The current epoch's summed training loss and examples so far (for its epochs.csv row). */
  epochLoss: number;
  epochCount: number;
  lastEpoch?: EpochRecord;
}

/** The replica state a checkpoint holds: rank 0's, as GetState answers it (its tensors' names and shapes included). */
type CheckpointState = Omit<StateReply__Output, 'runId'>;

/** One checkpoint: the loop's state, the resolved config (schedule parameters included) and rank 0's replica. */
export interface Checkpoint {
  savedAt: string;
  loop: LoopState;
  config: FitConfig;
  totalIterations: number;
  iterationsPerEpoch: number;
  /**
   * Little-endian float32: weights, momentum buffers (laid out as the weights), BatchNorm statistics (averaged across
   * workers first), and what the weights and the statistics hold (empty in a file of format 1, which did not say).
   */
  state: CheckpointState;
}

/** A checkpoint file that cannot be used: names the file and what is wrong with it. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`checkpoint ${file}: ${problem}`);
  }
}
