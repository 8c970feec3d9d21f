// Original file: proto/superconverge.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AbortReply as _superconverge_v1_AbortReply, AbortReply__Output as _superconverge_v1_AbortReply__Output } from '../../superconverge/v1/AbortReply';
import type { AbortRequest as _superconverge_v1_AbortRequest, AbortRequest__Output as _superconverge_v1_AbortRequest__Output } from '../../superconverge/v1/AbortRequest';
import type { ChecksumReply as _superconverge_v1_ChecksumReply, ChecksumReply__Output as _superconverge_v1_ChecksumReply__Output } from '../../superconverge/v1/ChecksumReply';
import type { ChecksumRequest as _superconverge_v1_ChecksumRequest, ChecksumRequest__Output as _superconverge_v1_ChecksumRequest__Output } from '../../superconverge/v1/ChecksumRequest';
import type { ConfigureReply as _superconverge_v1_ConfigureReply, ConfigureReply__Output as _superconverge_v1_ConfigureReply__Output } from '../../superconverge/v1/ConfigureReply';
import type { ConfigureRequest as _superconverge_v1_ConfigureRequest, ConfigureRequest__Output as _superconverge_v1_ConfigureRequest__Output } from '../../superconverge/v1/ConfigureRequest';
import type { EvaluateReply as _superconverge_v1_EvaluateReply, EvaluateReply__Output as _superconverge_v1_EvaluateReply__Output } from '../../superconverge/v1/EvaluateReply';
import type { EvaluateRequest as _superconverge_v1_EvaluateRequest, EvaluateRequest__Output as _superconverge_v1_EvaluateRequest__Output } from '../../superconverge/v1/EvaluateRequest';
import type { ExportModelReply as _superconverge_v1_ExportModelReply, ExportModelReply__Output as _superconverge_v1_ExportModelReply__Output } from '../../superconverge/v1/ExportModelReply';
import type { ExportModelRequest as _superconverge_v1_ExportModelRequest, ExportModelRequest__Output as _superconverge_v1_ExportModelRequest__Output } from '../../superconverge/v1/ExportModelRequest';
import type { GetStateRequest as _superconverge_v1_GetStateRequest, GetStateRequest__Output as _superconverge_v1_GetStateRequest__Output } from '../../superconverge/v1/GetStateRequest';
import type { ReformReply as _superconverge_v1_ReformReply, ReformReply__Output as _superconverge_v1_ReformReply__Output } from '../../superconverge/v1/ReformReply';
import type { ReformRequest as _superconverge_v1_ReformRequest, ReformRequest__Output as _superconverge_v1_ReformRequest__Output } from '../../superconverge/v1/ReformRequest';
import type { SetStateReply as _superconverge_v1_SetStateReply, SetStateReply__Output as _superconverge_v1_SetStateReply__Output } from '../../superconverge/v1/SetStateReply';
import type { ShutdownReply as _superconverge_v1_ShutdownReply, ShutdownReply__Output as _superconverge_v1_ShutdownReply__Output } from '../../superconverge/v1/ShutdownReply';
import type { ShutdownRequest as _superconverge_v1_ShutdownRequest, ShutdownRequest__Output as _superconverge_v1_ShutdownRequest__Output } from '../../superconverge/v1/ShutdownRequest';
import type { StateReply as _superconverge_v1_StateReply, StateReply__Output as _superconverge_v1_StateReply__Output } from '../../superconverge/v1/StateReply';
import type { StepReply as _superconverge_v1_StepReply, StepReply__Output as _superconverge_v1_StepReply__Output } from '../../superconverge/v1/StepReply';
import type { StepRequest as _superconverge_v1_StepRequest, StepRequest__Output as _superconverge_v1_StepRequest__Output } from '../../superconverge/v1/StepRequest';
import type { SyncBuffersReply as _superconverge_v1_SyncBuffersReply, SyncBuffersReply__Output as _superconverge_v1_SyncBuffersReply__Output } from '../../superconverge/v1/SyncBuffersReply';
import type { SyncBuffersRequest as _superconverge_v1_SyncBuffersRequest, SyncBuffersRequest__Output as _superconverge_v1_SyncBuffersRequest__Output } from '../../superconverge/v1/SyncBuffersRequest';

export interface WorkerClient extends grpc.Client {
  Abort(argument: _superconverge_v1_AbortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  Abort(argument: _superconverge_v1_AbortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  Abort(argument: _superconverge_v1_AbortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  Abort(argument: _superconverge_v1_AbortRequest, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  abort(argument: _superconverge_v1_AbortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  abort(argument: _superconverge_v1_AbortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  abort(argument: _superconverge_v1_AbortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  abort(argument: _superconverge_v1_AbortRequest, callback: grpc.requestCallback<_superconverge_v1_AbortReply__Output>): grpc.ClientUnaryCall;
  
  Checksum(argument: _superconverge_v1_ChecksumRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  Checksum(argument: _superconverge_v1_ChecksumRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  Checksum(argument: _superconverge_v1_ChecksumRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  Checksum(argument: _superconverge_v1_ChecksumRequest, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  checksum(argument: _superconverge_v1_ChecksumRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  checksum(argument: _superconverge_v1_ChecksumRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  checksum(argument: _superconverge_v1_ChecksumRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  checksum(argument: _superconverge_v1_ChecksumRequest, callback: grpc.requestCallback<_superconverge_v1_ChecksumReply__Output>): grpc.ClientUnaryCall;
  
  Configure(argument: _superconverge_v1_ConfigureRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  Configure(argument: _superconverge_v1_ConfigureRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  Configure(argument: _superconverge_v1_ConfigureRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  Configure(argument: _superconverge_v1_ConfigureRequest, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  configure(argument: _superconverge_v1_ConfigureRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  configure(argument: _superconverge_v1_ConfigureRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  configure(argument: _superconverge_v1_ConfigureRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  configure(argument: _superconverge_v1_ConfigureRequest, callback: grpc.requestCallback<_superconverge_v1_ConfigureReply__Output>): grpc.ClientUnaryCall;
  
  Evaluate(argument: _superconverge_v1_EvaluateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  Evaluate(argument: _superconverge_v1_EvaluateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  Evaluate(argument: _superconverge_v1_EvaluateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  Evaluate(argument: _superconverge_v1_EvaluateRequest, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  evaluate(argument: _superconverge_v1_EvaluateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  evaluate(argument: _superconverge_v1_EvaluateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  evaluate(argument: _superconverge_v1_EvaluateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  evaluate(argument: _superconverge_v1_EvaluateRequest, callback: grpc.requestCallback<_superconverge_v1_EvaluateReply__Output>): grpc.ClientUnaryCall;
  
  ExportModel(argument: _superconverge_v1_ExportModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  ExportModel(argument: _superconverge_v1_ExportModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  ExportModel(argument: _superconverge_v1_ExportModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  ExportModel(argument: _superconverge_v1_ExportModelRequest, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  exportModel(argument: _superconverge_v1_ExportModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  exportModel(argument: _superconverge_v1_ExportModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  exportModel(argument: _superconverge_v1_ExportModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  exportModel(argument: _superconverge_v1_ExportModelRequest, callback: grpc.requestCallback<_superconverge_v1_ExportModelReply__Output>): grpc.ClientUnaryCall;
  
  GetState(argument: _superconverge_v1_GetStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  GetState(argument: _superconverge_v1_GetStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  GetState(argument: _superconverge_v1_GetStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  GetState(argument: _superconverge_v1_GetStateRequest, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  getState(argument: _superconverge_v1_GetStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  getState(argument: _superconverge_v1_GetStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  getState(argument: _superconverge_v1_GetStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  getState(argument: _superconverge_v1_GetStateRequest, callback: grpc.requestCallback<_superconverge_v1_StateReply__Output>): grpc.ClientUnaryCall;
  
  Reform(argument: _superconverge_v1_ReformRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  Reform(argument: _superconverge_v1_ReformRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  Reform(argument: _superconverge_v1_ReformRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  Reform(argument: _superconverge_v1_ReformRequest, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  reform(argument: _superconverge_v1_ReformRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  reform(argument: _superconverge_v1_ReformRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  reform(argument: _superconverge_v1_ReformRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  reform(argument: _superconverge_v1_ReformRequest, callback: grpc.requestCallback<_superconverge_v1_ReformReply__Output>): grpc.ClientUnaryCall;
  
  SetState(argument: _superconverge_v1_StateReply, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  SetState(argument: _superconverge_v1_StateReply, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  SetState(argument: _superconverge_v1_StateReply, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  SetState(argument: _superconverge_v1_StateReply, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  setState(argument: _superconverge_v1_StateReply, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  setState(argument: _superconverge_v1_StateReply, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  setState(argument: _superconverge_v1_StateReply, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  setState(argument: _superconverge_v1_StateReply, callback: grpc.requestCallback<_superconverge_v1_SetStateReply__Output>): grpc.ClientUnaryCall;
  
  Shutdown(argument: _superconverge_v1_ShutdownRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  Shutdown(argument: _superconverge_v1_ShutdownRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  Shutdown(argument: _superconverge_v1_ShutdownRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  Shutdown(argument: _superconverge_v1_ShutdownRequest, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _superconverge_v1_ShutdownRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _superconverge_v1_ShutdownRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _superconverge_v1_ShutdownRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _superconverge_v1_ShutdownRequest, callback: grpc.requestCallback<_superconverge_v1_ShutdownReply__Output>): grpc.ClientUnaryCall;
  
  Step(argument: _superconverge_v1_StepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  Step(argument: _superconverge_v1_StepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  Step(argument: _superconverge_v1_StepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  Step(argument: _superconverge_v1_StepRequest, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  step(argument: _superconverge_v1_StepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  step(argument: _superconverge_v1_StepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  step(argument: _superconverge_v1_StepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  step(argument: _superconverge_v1_StepRequest, callback: grpc.requestCallback<_superconverge_v1_StepReply__Output>): grpc.ClientUnaryCall;
  
  StepStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_superconverge_v1_StepRequest, _superconverge_v1_StepReply__Output>;
  StepStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_superconverge_v1_StepRequest, _superconverge_v1_StepReply__Output>;
  stepStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_superconverge_v1_StepRequest, _superconverge_v1_StepReply__Output>;
  stepStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_superconverge_v1_StepRequest, _superconverge_v1_StepReply__Output>;
  
  SyncBuffers(argument: _superconverge_v1_SyncBuffersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  SyncBuffers(argument: _superconverge_v1_SyncBuffersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  SyncBuffers(argument: _superconverge_v1_SyncBuffersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  SyncBuffers(argument: _superconverge_v1_SyncBuffersRequest, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  syncBuffers(argument: _superconverge_v1_SyncBuffersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  syncBuffers(argument: _superconverge_v1_SyncBuffersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  syncBuffers(argument: _superconverge_v1_SyncBuffersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  syncBuffers(argument: _superconverge_v1_SyncBuffersRequest, callback: grpc.requestCallback<_superconverge_v1_SyncBuffersReply__Output>): grpc.ClientUnaryCall;
  
}

export interface WorkerHandlers extends grpc.UntypedServiceImplementation {
  Abort: grpc.handleUnaryCall<_superconverge_v1_AbortRequest__Output, _superconverge_v1_AbortReply>;
  
  Checksum: grpc.handleUnaryCall<_superconverge_v1_ChecksumRequest__Output, _superconverge_v1_ChecksumReply>;
  
  Configure: grpc.handleUnaryCall<_superconverge_v1_ConfigureRequest__Output, _superconverge_v1_ConfigureReply>;
  
  Evaluate: grpc.handleUnaryCall<_superconverge_v1_EvaluateRequest__Output, _superconverge_v1_EvaluateReply>;
  
  ExportModel: grpc.handleUnaryCall<_superconverge_v1_ExportModelRequest__Output, _superconverge_v1_ExportModelReply>;
  
  GetState: grpc.handleUnaryCall<_superconverge_v1_GetStateRequest__Output, _superconverge_v1_StateReply>;
  
  Reform: grpc.handleUnaryCall<_superconverge_v1_ReformRequest__Output, _superconverge_v1_ReformReply>;
  
  SetState: grpc.handleUnaryCall<_superconverge_v1_StateReply__Output, _superconverge_v1_SetStateReply>;
  
  Shutdown: grpc.handleUnaryCall<_superconverge_v1_ShutdownRequest__Output, _superconverge_v1_ShutdownReply>;
  
  Step: grpc.handleUnaryCall<_superconverge_v1_StepRequest__Output, _superconverge_v1_StepReply>;
  
  StepStream: grpc.handleBidiStreamingCall<_superconverge_v1_StepRequest__Output, _superconverge_v1_StepReply>;
  
  SyncBuffers: grpc.handleUnaryCall<_superconverge_v1_SyncBuffersRequest__Output, _superconverge_v1_SyncBuffersReply>;
  
}

export interface WorkerDefinition extends grpc.ServiceDefinition {
  Abort: MethodDefinition<_superconverge_v1_AbortRequest, _superconverge_v1_AbortReply, _superconverge_v1_AbortRequest__Output, _superconverge_v1_AbortReply__Output>
  Checksum: MethodDefinition<_superconverge_v1_ChecksumRequest, _superconverge_v1_ChecksumReply, _superconverge_v1_ChecksumRequest__Output, _superconverge_v1_ChecksumReply__Output>
  Configure: MethodDefinition<_superconverge_v1_ConfigureRequest, _superconverge_v1_ConfigureReply, _superconverge_v1_ConfigureRequest__Output, _superconverge_v1_ConfigureReply__Output>
  Evaluate: MethodDefinition<_superconverge_v1_EvaluateRequest, _superconverge_v1_EvaluateReply, _superconverge_v1_EvaluateRequest__Output, _superconverge_v1_EvaluateReply__Output>
  ExportModel: MethodDefinition<_superconverge_v1_ExportModelRequest, _superconverge_v1_ExportModelReply, _superconverge_v1_ExportModelRequest__Output, _superconverge_v1_ExportModelReply__Output>
  GetState: MethodDefinition<_superconverge_v1_GetStateRequest, _superconverge_v1_StateReply, _superconverge_v1_GetStateRequest__Output, _superconverge_v1_StateReply__Output>
  Reform: MethodDefinition<_superconverge_v1_ReformRequest, _superconverge_v1_ReformReply, _superconverge_v1_ReformRequest__Output, _superconverge_v1_ReformReply__Output>
  SetState: MethodDefinition<_superconverge_v1_StateReply, _superconverge_v1_SetStateReply, _superconverge_v1_StateReply__Output, _superconverge_v1_SetStateReply__Output>
  Shutdown: MethodDefinition<_superconverge_v1_ShutdownRequest, _superconverge_v1_ShutdownReply, _superconverge_v1_ShutdownRequest__Output, _superconverge_v1_ShutdownReply__Output>
  Step: MethodDefinition<_superconverge_v1_StepRequest, _superconverge_v1_StepReply, _superconverge_v1_StepRequest__Output, _superconverge_v1_StepReply__Output>
  StepStream: MethodDefinition<_superconverge_v1_StepRequest, _superconverge_v1_StepReply, _superconverge_v1_StepRequest__Output, _superconverge_v1_StepReply__Output>
  SyncBuffers: MethodDefinition<_superconverge_v1_SyncBuffersRequest, _superconverge_v1_SyncBuffersReply, _superconverge_v1_SyncBuffersRequest__Output, _superconverge_v1_SyncBuffersReply__Output>
}
