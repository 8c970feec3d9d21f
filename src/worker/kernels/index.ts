/** Public API of the wasm training kernels. */
export { registerWasmKernels } from './registerWasmKernels.js';
export { wasmKernels } from './wasmKernels.js';
export { WasmHeapExhaustedError } from './heapGuard.js';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, fusedBatchNormTakes } from './batchNormTrainFused.js';
export { ADD_RELU, ADD_RELU_GRAD, fusedAddReluTakes } from './addReluFused.js';
