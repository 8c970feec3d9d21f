// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface ReformRequest {
  'runId'?: (string);
  'rank'?: (number);
  'worldSize'?: (number);
  'ringAddresses'?: (string)[];
  'ringId'?: (string);
  'nextStep'?: (number | string | Long);
}

export interface ReformRequest__Output {
  'runId': (string);
  'rank': (number);
  'worldSize': (number);
  'ringAddresses': (string)[];
  'ringId': (string);
  'nextStep': (number);
}
