// Original file: proto/superconverge.proto

import type { Long } from '@grpc/proto-loader';

export interface ConfigureReply {
  'rank'?: (number);
  'backend'?: (string);
  'parameterCount'?: (number | string | Long);
  'modelFingerprint'?: (string);
  'trainExamples'?: (number | string | Long);
  'valExamples'?: (number | string | Long);
  'dataStatsJson'?: (string);
}

export interface ConfigureReply__Output {
  'rank': (number);
  'backend': (string);
  'parameterCount': (number);
  'modelFingerprint': (string);
  'trainExamples': (number);
  'valExamples': (number);
  'dataStatsJson': (string);
}
