// Original file: proto/superconverge.proto


export interface SetStateReply {
}

export interface SetStateReply__Output {
}
