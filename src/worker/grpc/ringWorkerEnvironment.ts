import { ConfigError, settings } from '../../shared/config/index.js';
import { RingCollective, type RingServer } from '../allreduce/index.js';
import { openTrainingData } from '../localWorkerEnvironment.js';
import type { WorkerEnvironment } from '../TrainingWorker.js';

/** A worker with its data from local disk and a TCP ring through `ring` (this node's ring data-plane server). */
export function ringWorkerEnvironment(ring: RingServer): WorkerEnvironment {
  return {
    openData: openTrainingData,
    openCollective: async (rank, worldSize, ringAddresses, runId) => {
      if (ringAddresses.length !== worldSize) {
        throw new ConfigError(`Configure gave ${ringAddresses.length} ring addresses for a world of ${worldSize}`);
      }
      if (ringAddresses[rank] !== ring.address) {
        throw new ConfigError(
          `Configure says rank ${rank} listens at ${ringAddresses[rank]}, but this worker's ring is at ${ring.address}`,
        );
      }
      return new RingCollective({
        server: ring,
        runId,
        rank,
        worldSize,
        addresses: ringAddresses,
        peerTimeoutMs: settings().ringPeerTimeoutMs,
      });
    },
  };
}
