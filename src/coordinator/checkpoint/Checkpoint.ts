import type { FitConfig } from '../../shared/config/index.js';
import type { EpochRecord } from '../FitCallback.js';

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

/** One checkpoint: the loop's state, the resolved config (schedule parameters included) and rank 0's replica. */
export interface Checkpoint {
  version: 1;
  savedAt: string;
  loop: LoopState;
  config: FitConfig;
  totalIterations: number;
  iterationsPerEpoch: number;
  /** Little-endian float32: weights, momentum buffers, BatchNorm statistics (averaged across workers first). */
  weights: Buffer;
  momentum: Buffer;
  buffers: Buffer;
}

/** A checkpoint file that cannot be used: names the file and what is wrong with it. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(readonly file: string, problem: string) {
    super(`checkpoint ${file}: ${problem}`);
  }
}
