/**
 * The custom wasm kernels, one flat list. Order does not matter; each entry replaces (or adds) the wasm
 * backend's kernel of that name, and falls back to the stock kernel for cases it does not speed up.
 */
import type * as tf from '@tensorflow/tfjs';
import { addReluConfig, addReluGradConfig } from './addReluFused.js';
import { avgPoolGradConfig } from './avgPoolGrad.js';
import { batchMatMulConfig } from './batchMatMul.js';
import { batchNormTrainConfig, batchNormTrainGradConfig } from './batchNormTrainFused.js';
import { castConfig } from './cast.js';
import { conv2DConfig } from './conv2D.js';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput.js';
import { fusedBatchNormConfig } from './fusedBatchNorm.js';
import { identityConfig } from './identity.js';
import { meanConfig } from './mean.js';
import { sumConfig } from './sum.js';
import { tileConfig } from './tile.js';

export const wasmKernels: readonly tf.KernelConfig[] = [
  addReluConfig,
  addReluGradConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  castConfig,
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  fusedBatchNormConfig,
  identityConfig,
  meanConfig,
  sumConfig,
  tileConfig,
];
