// Original file: proto/superconverge.proto


export interface EvaluateRequest {
  'runId'?: (string);
  'batchIndex'?: (number);
  'batchSize'?: (number);
}

export interface EvaluateRequest__Output {
  'runId': (string);
  'batchIndex': (number);
  'batchSize': (number);
}
