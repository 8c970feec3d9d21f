// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface AbortReply {
  'lastStep'?: (number | string | Long);
}

export interface AbortReply__Output {
  'lastStep': (number);
}
