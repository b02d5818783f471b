// Original file: proto/cluster/v1/dispatcher.proto


export interface SessionAccepted {
  'nodeId'?: (string);
  'heartbeatPeriodMs'?: (number);
}

export interface SessionAccepted__Output {
  'nodeId': (string);
  'heartbeatPeriodMs': (number);
}
