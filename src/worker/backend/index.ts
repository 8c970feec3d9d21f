export {
  selectBackend,
  BACKEND_CHOICES,
  BackendUnavailableError,
  type BackendChoice,
  type ConcreteBackend,
  type SelectedBackend,
} from './selectBackend.js';
export { releaseWebGpu } from './webgpu/index.js';
export type { AdapterInfo } from '../../shared/gpu/index.js';
