// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface LayerGroupInfo {
  'layers'?: (string)[];
  'parameterCount'?: (number | string | Long);
}

export interface LayerGroupInfo__Output {
  'layers': (string)[];
  'parameterCount': (number);
}
