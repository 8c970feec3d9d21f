export {
  selectBackend,
  BackendUnavailableError,
  type ConcreteBackend,
} from './selectBackend.js';
export { releaseWebGpu } from './webgpu/index.js';
export type { AdapterInfo } from '../../shared/gpu/index.js';
