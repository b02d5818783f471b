// Original file: proto/cluster/v1/control.proto


export interface GetCaStatusRequest {
}

export interface GetCaStatusRequest__Output {
}
