// Original file: proto/superconverge.proto


export interface EvaluateReply {
  'lossSum'?: (number | string);
  'count'?: (number);
  'correct'?: (number);
}

export interface EvaluateReply__Output {
  'lossSum': (number);
  'count': (number);
  'correct': (number);
}
