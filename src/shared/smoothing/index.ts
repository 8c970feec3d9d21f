export { SmoothLoss } from './SmoothLoss.js';
export { debiasedSmooth } from './debiasedSmooth.js';
