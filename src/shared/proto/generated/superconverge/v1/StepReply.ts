// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface StepReply {
  'step'?: (number | string | Long);
  'lossSum'?: (number | string);
  'count'?: (number);
  'correct'?: (number);
  'computeMs'?: (number | string);
  'allreduceMs'?: (number | string);
}

export interface StepReply__Output {
  'step': (number);
  'lossSum': (number);
  'count': (number);
  'correct': (number);
  'computeMs': (number);
  'allreduceMs': (number);
}
