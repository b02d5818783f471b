// Original file: proto/cluster/v1/control.proto


export interface RotateJoinTokenResponse {
}

export interface RotateJoinTokenResponse__Output {
}
