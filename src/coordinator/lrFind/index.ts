export { lrFind, type LrFindResult } from './lrFind.js';
export { DEFAULT_LR_FIND, LR_FIND_SETTINGS, type LrFindOptions } from './lrFindSettings.js';
export { LrFindRecorder } from './LrFindRecorder.js';
export { suggestLr, suggestionBeta, type LrFindSuggestion } from './suggestLr.js';
