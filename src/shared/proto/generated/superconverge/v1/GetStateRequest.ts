// Original file: proto/superconverge.proto


export interface GetStateRequest {
  'runId'?: (string);
}

export interface GetStateRequest__Output {
  'runId': (string);
}
