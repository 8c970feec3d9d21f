// Original file: proto/superconverge.proto

import type { LayerGroupInfo as _superconverge_v1_LayerGroupInfo, LayerGroupInfo__Output as _superconverge_v1_LayerGroupInfo__Output } from '../../superconverge/v1/LayerGroupInfo';
import type { Long } from '@grpc/proto-loader';

export interface ConfigureReply {
  'rank'?: (number);
  'backend'?: (string);
  'parameterCount'?: (number | string | Long);
  'modelFingerprint'?: (string);
  'trainExamples'?: (number | string | Long);
  'valExamples'?: (number | string | Long);
  'dataStatsJson'?: (string);
  'layerGroups'?: (_superconverge_v1_LayerGroupInfo)[];
  'adapterJson'?: (string);
}

export interface ConfigureReply__Output {
  'rank': (number);
  'backend': (string);
  'parameterCount': (number);
  'modelFingerprint': (string);
  'trainExamples': (number);
  'valExamples': (number);
  'dataStatsJson': (string);
  'layerGroups': (_superconverge_v1_LayerGroupInfo__Output)[];
  'adapterJson': (string);
}
