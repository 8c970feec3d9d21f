/**
 * What a run leaves behind, apart from training it: its records (metrics.jsonl, epochs.csv, evals.csv, lr_find.jsonl,
 * read back for plots), the plots, report.html and TensorBoard event files. Callbacks plug them into the loop.
 */
export * from './records/index.js';
export * from './plots/index.js';
export * from './report/index.js';
export * from './tensorboard/index.js';
export { PlotError } from './PlotError.js';
export { renderRunPlots, type RunPlotOptions } from './renderRunPlots.js';
export { PlotsCallback } from './PlotsCallback.js';
