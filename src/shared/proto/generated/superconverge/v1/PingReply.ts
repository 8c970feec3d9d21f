// Original file: proto/superconverge.proto


export interface PingReply {
  'runId'?: (string);
}

export interface PingReply__Output {
  'runId': (string);
}
