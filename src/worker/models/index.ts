export {
  buildModel,
  isBuiltInModel,
  BUILT_IN_MODELS,
  BUILT_IN_LAYER_GROUPS,
  type BuiltInModelName,
} from './buildModel.js';
export type { ModelSpec } from './ModelSpec.js';
export { saveModel, exportModel, writeModelFiles, type ModelFiles } from './saveModel.js';
export { loadModel } from './loadModel.js';
export { resolveLayerGroups, type LayerGroup } from './layerGroups.js';
