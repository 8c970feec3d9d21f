export { Replica, type TensorBatch, type BatchResult, type ReplicaState, type TrainForward } from './Replica.js';
