// Original file: proto/superconverge.proto

import type { TensorInfo as _superconverge_v1_TensorInfo, TensorInfo__Output as _superconverge_v1_TensorInfo__Output } from '../../superconverge/v1/TensorInfo';

export interface StateReply {
  'runId'?: (string);
  'weights'?: (Buffer | Uint8Array | string);
  'momentum'?: (Buffer | Uint8Array | string);
  'buffers'?: (Buffer | Uint8Array | string);
  'weightTensors'?: (_superconverge_v1_TensorInfo)[];
  'bufferTensors'?: (_superconverge_v1_TensorInfo)[];
}

export interface StateReply__Output {
  'runId': (string);
  'weights': (Buffer);
  'momentum': (Buffer);
  'buffers': (Buffer);
  'weightTensors': (_superconverge_v1_TensorInfo__Output)[];
  'bufferTensors': (_superconverge_v1_TensorInfo__Output)[];
}
