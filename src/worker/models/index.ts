export { buildModel, BUILT_IN_LAYER_GROUPS } from './buildModel.js';
export { isBuiltInModel } from '../../shared/models/index.js';
export type { ModelSpec } from './ModelSpec.js';
export { saveModel, exportModel } from './saveModel.js';
export { loadModel } from './loadModel.js';
export { resolveLayerGroups, type LayerGroup } from './layerGroups.js';
