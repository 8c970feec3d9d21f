export { TrainingWorker, WorkerStateError, type WorkerEnvironment } from './TrainingWorker.js';
export type { TrainingData } from './TrainingData.js';
export { InProcessCollective, RingCollective, RingServer, type Collective } from './allreduce/index.js';
export { openTrainingData, localWorkerEnvironment } from './localWorkerEnvironment.js';
export type { WorkerThreadData } from './grpc/workerThreadMain.js';
export { Replica, type TensorBatch, type ReplicaState } from './replica/index.js';
export { buildModel, loadModel, saveModel, exportModel } from './models/index.js';
export { selectBackend, BackendUnavailableError, type AdapterInfo } from './backend/index.js';
export { sgdStep } from './optimizer/index.js';
