// Original file: proto/superconverge.proto


export interface SyncBuffersReply {
}

export interface SyncBuffersReply__Output {
}
