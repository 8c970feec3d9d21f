export { loadWebGpu, releaseWebGpu, webGpuAdapter, WEBGPU_FLAGS } from './loadWebGpu.js';
export {
  createWebGpuDevice,
  adapterRoutes,
  NoAdapterError,
  type AdapterRoute,
  type WebGpuDevice,
} from './createWebGpuDevice.js';
export { describeAdapter, isSoftwareAdapter, type AdapterInfo } from './AdapterInfo.js';
export { gpuEnvironment, listPciGpus, driPrimeTag, type PciGpu } from './pinGpu.js';
