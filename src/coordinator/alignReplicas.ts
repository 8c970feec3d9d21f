import type { FitConfig } from '../shared/config/index.js';
import { isBuiltInModel } from '../shared/models/index.js';
import type { Cluster } from './Cluster.js';

/**
 * Makes sure freshly configured replicas start identical. Built-in models are built from the run's seed on every
 * worker; a model loaded from a path (each worker reads its own copy) is overwritten with rank 0's state. Either
 * way the checksums are then compared, and a mismatch names the ranks.
 */
export async function alignReplicas(cluster: Cluster, config: FitConfig): Promise<void> {
  if (cluster.size === 1) return;
  if (!isBuiltInModel(config.model)) await cluster.setState(await cluster.getState());
  await cluster.verifyReplicas('after Configure', { buffers: true });
}
