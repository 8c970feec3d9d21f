export { loadWebGpu, releaseWebGpu, webGpuAdapter, WEBGPU_FLAGS } from './loadWebGpu.js';
export {
  createWebGpuDevice,
  adapterRoutes,
  NoAdapterError,
  type AdapterRoute,
  type WebGpuDevice,
} from './createWebGpuDevice.js';
