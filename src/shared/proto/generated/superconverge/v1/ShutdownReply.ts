// Original file: proto/superconverge.proto


export interface ShutdownReply {
}

export interface ShutdownReply__Output {
}
