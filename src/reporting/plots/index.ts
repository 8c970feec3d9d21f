export { findFont } from './findFont.js';
export { renderSpec } from './renderSpec.js';
export { lrPlotSpec, type ScheduleRow } from './lrPlotSpec.js';
export { lrFindPlotSpec } from './lrFindPlotSpec.js';
export { lossPlotSpec } from './lossPlotSpec.js';
export { textChart, formatNumber, type TextChartOptions } from './textChart.js';
export { lrFindTextChart } from './lrFindTextChart.js';
