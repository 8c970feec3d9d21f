export { layoutDifference, type TensorLayout } from './layoutDifference.js';
