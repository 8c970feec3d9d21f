/** A worker as a network service: the Worker gRPC server, its node (Worker + Ring servers) and the join path. */
export { WorkerServer, type WorkerServerOptions } from './WorkerServer.js';
export { WorkerNode, type WorkerNodeOptions } from './WorkerNode.js';
export { joinCoordinator, JoinError, type JoinOptions, type JoinedWorker } from './joinCoordinator.js';
export { grpcStatusOf, type GrpcStatus } from './grpcStatusOf.js';
export { ringWorkerEnvironment } from './ringWorkerEnvironment.js';
