/** The collective: allreduce of float32 buffers across data-parallel replicas (gRPC ring, or in-process). */
export type { AllreduceOptions, Collective } from './Collective.js';
export { CollectiveError, type CollectiveErrorDetails, type CollectivePhase } from './CollectiveError.js';
export { InProcessCollective } from './InProcessCollective.js';
export {
  DEFAULT_RING_TUNING, GrpcRingCollective, type GrpcRingCollectiveOptions, type RingTuning,
} from './GrpcRingCollective.js';
export { RingServer, type RingServerOptions } from './RingServer.js';
export { ringOrderSum } from './ringSchedule.js';
