// Original file: proto/superconverge.proto


export interface ExportModelReply {
  'modelJson'?: (string);
  'weights'?: (Buffer | Uint8Array | string);
}

export interface ExportModelReply__Output {
  'modelJson': (string);
  'weights': (Buffer);
}
