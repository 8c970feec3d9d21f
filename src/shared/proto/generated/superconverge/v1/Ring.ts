// Original file: proto/superconverge.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChunkAck as _superconverge_v1_ChunkAck, ChunkAck__Output as _superconverge_v1_ChunkAck__Output } from '../../superconverge/v1/ChunkAck';
import type { ChunkMessage as _superconverge_v1_ChunkMessage, ChunkMessage__Output as _superconverge_v1_ChunkMessage__Output } from '../../superconverge/v1/ChunkMessage';

export interface RingClient extends grpc.Client {
  PushChunk(argument: _superconverge_v1_ChunkMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  PushChunk(argument: _superconverge_v1_ChunkMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  PushChunk(argument: _superconverge_v1_ChunkMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  PushChunk(argument: _superconverge_v1_ChunkMessage, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  pushChunk(argument: _superconverge_v1_ChunkMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  pushChunk(argument: _superconverge_v1_ChunkMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  pushChunk(argument: _superconverge_v1_ChunkMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  pushChunk(argument: _superconverge_v1_ChunkMessage, callback: grpc.requestCallback<_superconverge_v1_ChunkAck__Output>): grpc.ClientUnaryCall;
  
}

export interface RingHandlers extends grpc.UntypedServiceImplementation {
  PushChunk: grpc.handleUnaryCall<_superconverge_v1_ChunkMessage__Output, _superconverge_v1_ChunkAck>;
  
}

export interface RingDefinition extends grpc.ServiceDefinition {
  PushChunk: MethodDefinition<_superconverge_v1_ChunkMessage, _superconverge_v1_ChunkAck, _superconverge_v1_ChunkMessage__Output, _superconverge_v1_ChunkAck__Output>
}
