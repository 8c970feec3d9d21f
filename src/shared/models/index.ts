/** What the coordinator knows of models without loading tfjs: the built-in names and the tfjs files it writes. */
export { BUILT_IN_MODEL_NAMES, isBuiltInModel, type BuiltInModelName } from './builtInModels.js';
export { writeModelFiles, type ModelFiles } from './modelFiles.js';
