/** A worker as a network service: the Worker gRPC server, its node (Worker + Ring servers) and the join path. */
export { WorkerServer } from './WorkerServer.js';
export { WorkerNode } from './WorkerNode.js';
export { joinCoordinator } from './joinCoordinator.js';
export { grpcStatusOf } from './grpcStatusOf.js';
export { ringWorkerEnvironment } from './ringWorkerEnvironment.js';
