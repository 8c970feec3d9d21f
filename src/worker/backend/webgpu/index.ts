export { loadWebGpu, releaseWebGpu } from './loadWebGpu.js';
export {
  createWebGpuDevice,
  adapterRoutes,
  type WebGpuDevice,
} from './createWebGpuDevice.js';
