// Original file: proto/superconverge.proto


export interface ChunkAck {
}

export interface ChunkAck__Output {
}
