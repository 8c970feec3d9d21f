/** Faster training-mode forward passes (same values, gradients and BatchNorm updates as tfjs-layers'). */
export { trainForward } from './trainForward.js';
export { addRelu } from './addRelu.js';
export { batchNormTrain, type BatchNormResult } from './batchNormTrain.js';
export { globalAvgPool } from './globalAvgPool.js';
