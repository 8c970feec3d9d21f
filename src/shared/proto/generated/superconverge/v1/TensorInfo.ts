// Original file: proto/superconverge.proto


export interface TensorInfo {
  'name'?: (string);
  'shape'?: (number)[];
}

export interface TensorInfo__Output {
  'name': (string);
  'shape': (number)[];
}
