/**
 * What both sides know of GPUs without loading tfjs: the WebGPU adapter a worker reports (AdapterInfo, logged and
 * recorded in summary.json) and the environment that pins a worker process to one GPU (gpuEnvironment).
 */
export { describeAdapter, isSoftwareAdapter, type AdapterInfo } from './AdapterInfo.js';
export { gpuEnvironment, listPciGpus } from './pinGpu.js';
