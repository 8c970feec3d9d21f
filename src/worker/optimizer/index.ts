export { sgdStep, type SgdHyperparameters, type WeightDecayMode } from './sgd.js';
