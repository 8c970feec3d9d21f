// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface StepRequest {
  'runId'?: (string);
  'step'?: (number | string | Long);
  'epoch'?: (number);
  'batchInEpoch'?: (number);
  'momentum'?: (number | string);
  'groupLrs'?: (number | string)[];
  'groupWeightDecays'?: (number | string)[];
}

export interface StepRequest__Output {
  'runId': (string);
  'step': (number);
  'epoch': (number);
  'batchInEpoch': (number);
  'momentum': (number);
  'groupLrs': (number)[];
  'groupWeightDecays': (number)[];
}
