// Original file: proto/superconverge.proto


export interface PingRequest {
  'runId'?: (string);
}

export interface PingRequest__Output {
  'runId': (string);
}
