// Original file: proto/superconverge.proto


export interface SyncBuffersRequest {
  'runId'?: (string);
}

export interface SyncBuffersRequest__Output {
  'runId': (string);
}
