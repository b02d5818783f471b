// Original file: proto/cluster/v1/dispatcher.proto


export interface Heartbeat {
}

export interface Heartbeat__Output {
}
