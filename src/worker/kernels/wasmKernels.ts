/**
 * The custom wasm kernels, one flat list. Order does not matter; each entry replaces (or adds) the wasm
 * backend's kernel of that name.
 */
import type * as tf from '@tensorflow/tfjs';
import {conv2DBackpropFilterConfig} from './conv2DBackpropFilter.js';
import {conv2DBackpropInputConfig} from './conv2DBackpropInput.js';

export const wasmKernels: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
];
