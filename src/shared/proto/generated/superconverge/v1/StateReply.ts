// Original file: proto/superconverge.proto


export interface StateReply {
  'runId'?: (string);
  'weights'?: (Buffer | Uint8Array | string);
  'momentum'?: (Buffer | Uint8Array | string);
  'buffers'?: (Buffer | Uint8Array | string);
}

export interface StateReply__Output {
  'runId': (string);
  'weights': (Buffer);
  'momentum': (Buffer);
  'buffers': (Buffer);
}
