// Original file: proto/superconverge.proto


export interface ReformReply {
}

export interface ReformReply__Output {
}
