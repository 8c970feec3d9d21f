// Original file: proto/superconverge.proto


export interface AbortRequest {
  'runId'?: (string);
  'reason'?: (string);
  'ringId'?: (string);
}

export interface AbortRequest__Output {
  'runId': (string);
  'reason': (string);
  'ringId': (string);
}
