export { renderReport, type ReportPlot, type ReportContext } from './renderReport.js';
