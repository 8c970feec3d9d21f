// Original file: proto/superconverge.proto


export interface ChecksumReply {
  'weights'?: (string);
  'optimizer'?: (string);
  'buffers'?: (string);
}

export interface ChecksumReply__Output {
  'weights': (string);
  'optimizer': (string);
  'buffers': (string);
}
