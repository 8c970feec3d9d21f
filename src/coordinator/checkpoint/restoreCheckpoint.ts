import type { Logger } from '../../shared/log/index.js';
import { layoutDifference } from '../../shared/tensorLayout/index.js';
import type { Cluster } from '../Cluster.js';
import { CheckpointError, type Checkpoint } from './Checkpoint.js';

/**
 * Puts a checkpoint's replica state on every worker, after checking that it belongs to this run's length and data
 * and that its tensors (names, shapes, order) are the model's: a CheckpointError names the file and what differs.
 * A file of format 1 (no tensor names) is restored by position, checked by length only, with a warning.
 */
export async function restoreCheckpoint(
  cluster: Cluster,
  c: Checkpoint,
  file: string,
  now: { totalIterations: number; iterationsPerEpoch: number },
  log?: Logger,
): Promise<void> {
  if (c.totalIterations !== now.totalIterations || c.iterationsPerEpoch !== now.iterationsPerEpoch) {
    throw new CheckpointError(
      file,
      `it is of a run of ${c.totalIterations} steps of ${c.iterationsPerEpoch} per epoch; ` +
        `with this data and config the run has ${now.totalIterations} of ${now.iterationsPerEpoch}`,
    );
  }
  if (c.state.weightTensors.length === 0) {
    log?.warn(
      { checkpoint: file },
      'checkpoint of format 1 (no tensor names): its weights are restored by position, checked by length only',
    );
  } else {
    const own = await cluster.getState();
    const problems = [
      layoutDifference('weight', c.state.weightTensors, own.weightTensors),
      layoutDifference('buffer', c.state.bufferTensors, own.bufferTensors),
    ].filter((p) => p !== undefined);
    if (problems.length > 0)
      throw new CheckpointError(file, `its tensors are not this model's: ${problems.join('; ')}`);
  }
  await cluster.setState({ runId: cluster.runId, ...c.state });
  if (cluster.size > 1) await cluster.verifyReplicas(`after restoring ${file}`, { buffers: true });
}
