export { findFont } from './findFont.js';
export { renderSpec, type RenderedPlot } from './renderSpec.js';
export { lrPlotSpec, type ScheduleRow } from './lrPlotSpec.js';
export { lrFindPlotSpec, type LrFindPlotOptions } from './lrFindPlotSpec.js';
export { lossPlotSpec } from './lossPlotSpec.js';
export { textChart, formatNumber, type TextChartOptions, type Point2 } from './textChart.js';
export { lrFindTextChart } from './lrFindTextChart.js';
