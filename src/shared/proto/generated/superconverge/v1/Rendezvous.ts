// Original file: proto/superconverge.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { JoinReply as _superconverge_v1_JoinReply, JoinReply__Output as _superconverge_v1_JoinReply__Output } from '../../superconverge/v1/JoinReply';
import type { JoinRequest as _superconverge_v1_JoinRequest, JoinRequest__Output as _superconverge_v1_JoinRequest__Output } from '../../superconverge/v1/JoinRequest';
import type { PingReply as _superconverge_v1_PingReply, PingReply__Output as _superconverge_v1_PingReply__Output } from '../../superconverge/v1/PingReply';
import type { PingRequest as _superconverge_v1_PingRequest, PingRequest__Output as _superconverge_v1_PingRequest__Output } from '../../superconverge/v1/PingRequest';

export interface RendezvousClient extends grpc.Client {
  Join(argument: _superconverge_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _superconverge_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _superconverge_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _superconverge_v1_JoinRequest, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _superconverge_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _superconverge_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _superconverge_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _superconverge_v1_JoinRequest, callback: grpc.requestCallback<_superconverge_v1_JoinReply__Output>): grpc.ClientUnaryCall;
  
  Ping(argument: _superconverge_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  Ping(argument: _superconverge_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  Ping(argument: _superconverge_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  Ping(argument: _superconverge_v1_PingRequest, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  ping(argument: _superconverge_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  ping(argument: _superconverge_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  ping(argument: _superconverge_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  ping(argument: _superconverge_v1_PingRequest, callback: grpc.requestCallback<_superconverge_v1_PingReply__Output>): grpc.ClientUnaryCall;
  
}

export interface RendezvousHandlers extends grpc.UntypedServiceImplementation {
  Join: grpc.handleUnaryCall<_superconverge_v1_JoinRequest__Output, _superconverge_v1_JoinReply>;
  
  Ping: grpc.handleUnaryCall<_superconverge_v1_PingRequest__Output, _superconverge_v1_PingReply>;
  
}

export interface RendezvousDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_superconverge_v1_JoinRequest, _superconverge_v1_JoinReply, _superconverge_v1_JoinRequest__Output, _superconverge_v1_JoinReply__Output>
  Ping: MethodDefinition<_superconverge_v1_PingRequest, _superconverge_v1_PingReply, _superconverge_v1_PingRequest__Output, _superconverge_v1_PingReply__Output>
}
