export { lrFind, DEFAULT_LR_FIND, type LrFindOptions, type LrFindResult } from './lrFind.js';
export { LrFindRecorder } from './LrFindRecorder.js';
export { suggestLr, suggestionBeta, type LrFindSuggestion, type LrCurvePoint } from './suggestLr.js';
