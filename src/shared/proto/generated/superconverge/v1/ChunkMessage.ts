// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkMessage {
  'runId'?: (string);
  'op'?: (number | string | Long);
  'phase'?: (number);
  'round'?: (number);
  'fromRank'?: (number);
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  'length'?: (number | string | Long);
}

export interface ChunkMessage__Output {
  'runId': (string);
  'op': (number);
  'phase': (number);
  'round': (number);
  'fromRank': (number);
  'offset': (number);
  'data': (Buffer);
  'length': (number);
}
