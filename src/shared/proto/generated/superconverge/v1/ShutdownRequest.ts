// Original file: proto/superconverge.proto


export interface ShutdownRequest {
  'runId'?: (string);
  'reason'?: (string);
}

export interface ShutdownRequest__Output {
  'runId': (string);
  'reason': (string);
}
