// Original file: proto/superconverge.proto


export interface PingReply {
  'runId'?: (string);
  'member'?: (boolean);
}

export interface PingReply__Output {
  'runId': (string);
  'member': (boolean);
}
