// Original file: proto/superconverge.proto


export interface ChecksumRequest {
  'runId'?: (string);
}

export interface ChecksumRequest__Output {
  'runId': (string);
}
