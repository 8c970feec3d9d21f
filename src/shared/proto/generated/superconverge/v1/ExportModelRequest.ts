// Original file: proto/superconverge.proto


export interface ExportModelRequest {
  'runId'?: (string);
}

export interface ExportModelRequest__Output {
  'runId': (string);
}
