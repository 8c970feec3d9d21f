// Original file: proto/superconverge.proto


export interface JoinReply {
  'rank'?: (number);
  'worldSize'?: (number);
  'runId'?: (string);
}

export interface JoinReply__Output {
  'rank': (number);
  'worldSize': (number);
  'runId': (string);
}
