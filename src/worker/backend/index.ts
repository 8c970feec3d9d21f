export {
  selectBackend,
  BACKEND_CHOICES,
  BackendUnavailableError,
  type BackendChoice,
  type ConcreteBackend,
  type SelectedBackend,
} from './selectBackend.js';
export { releaseWebGpu, describeAdapter, gpuEnvironment, type AdapterInfo } from './webgpu/index.js';
