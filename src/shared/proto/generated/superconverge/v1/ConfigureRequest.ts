// Original file: proto/superconverge.proto


export interface ConfigureRequest {
  'runId'?: (string);
  'rank'?: (number);
  'worldSize'?: (number);
  'configJson'?: (string);
  'ringAddresses'?: (string)[];
}

export interface ConfigureRequest__Output {
  'runId': (string);
  'rank': (number);
  'worldSize': (number);
  'configJson': (string);
  'ringAddresses': (string)[];
}
