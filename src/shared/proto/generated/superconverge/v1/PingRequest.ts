// Original file: proto/superconverge.proto


export interface PingRequest {
  'runId'?: (string);
  'workerAddress'?: (string);
}

export interface PingRequest__Output {
  'runId': (string);
  'workerAddress': (string);
}
