/** The collective: allreduce of float32 buffers across data-parallel replicas (TCP ring, or in-process). */
export type { AllreduceOptions, Collective } from './Collective.js';
export { CollectiveError, type CollectiveErrorDetails, type CollectivePhase } from './CollectiveError.js';
export { InProcessCollective } from './InProcessCollective.js';
export {
  DEFAULT_RING_TUNING,
  RingCollective,
  type RingCollectiveOptions,
  type RingTuning,
} from './RingCollective.js';
export { RingServer, type RingServerOptions } from './RingServer.js';
export { ringOrderSum } from './ringSchedule.js';
