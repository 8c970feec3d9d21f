// Original file: proto/superconverge.proto


export interface JoinRequest {
  'ringAddress'?: (string);
  'workerAddress'?: (string);
  'hostname'?: (string);
  'requestedRank'?: (number);
  'heartbeatAddress'?: (string);
}

export interface JoinRequest__Output {
  'ringAddress': (string);
  'workerAddress': (string);
  'hostname': (string);
  'requestedRank': (number);
  'heartbeatAddress': (string);
}
