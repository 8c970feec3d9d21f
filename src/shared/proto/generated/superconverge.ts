import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AbortReply as _superconverge_v1_AbortReply, AbortReply__Output as _superconverge_v1_AbortReply__Output } from './superconverge/v1/AbortReply';
import type { AbortRequest as _superconverge_v1_AbortRequest, AbortRequest__Output as _superconverge_v1_AbortRequest__Output } from './superconverge/v1/AbortRequest';
import type { ChecksumReply as _superconverge_v1_ChecksumReply, ChecksumReply__Output as _superconverge_v1_ChecksumReply__Output } from './superconverge/v1/ChecksumReply';
import type { ChecksumRequest as _superconverge_v1_ChecksumRequest, ChecksumRequest__Output as _superconverge_v1_ChecksumRequest__Output } from './superconverge/v1/ChecksumRequest';
import type { ChunkAck as _superconverge_v1_ChunkAck, ChunkAck__Output as _superconverge_v1_ChunkAck__Output } from './superconverge/v1/ChunkAck';
import type { ChunkMessage as _superconverge_v1_ChunkMessage, ChunkMessage__Output as _superconverge_v1_ChunkMessage__Output } from './superconverge/v1/ChunkMessage';
import type { ConfigureReply as _superconverge_v1_ConfigureReply, ConfigureReply__Output as _superconverge_v1_ConfigureReply__Output } from './superconverge/v1/ConfigureReply';
import type { ConfigureRequest as _superconverge_v1_ConfigureRequest, ConfigureRequest__Output as _superconverge_v1_ConfigureRequest__Output } from './superconverge/v1/ConfigureRequest';
import type { EvaluateReply as _superconverge_v1_EvaluateReply, EvaluateReply__Output as _superconverge_v1_EvaluateReply__Output } from './superconverge/v1/EvaluateReply';
import type { EvaluateRequest as _superconverge_v1_EvaluateRequest, EvaluateRequest__Output as _superconverge_v1_EvaluateRequest__Output } from './superconverge/v1/EvaluateRequest';
import type { ExportModelReply as _superconverge_v1_ExportModelReply, ExportModelReply__Output as _superconverge_v1_ExportModelReply__Output } from './superconverge/v1/ExportModelReply';
import type { ExportModelRequest as _superconverge_v1_ExportModelRequest, ExportModelRequest__Output as _superconverge_v1_ExportModelRequest__Output } from './superconverge/v1/ExportModelRequest';
import type { GetStateRequest as _superconverge_v1_GetStateRequest, GetStateRequest__Output as _superconverge_v1_GetStateRequest__Output } from './superconverge/v1/GetStateRequest';
import type { JoinReply as _superconverge_v1_JoinReply, JoinReply__Output as _superconverge_v1_JoinReply__Output } from './superconverge/v1/JoinReply';
import type { JoinRequest as _superconverge_v1_JoinRequest, JoinRequest__Output as _superconverge_v1_JoinRequest__Output } from './superconverge/v1/JoinRequest';
import type { LayerGroupInfo as _superconverge_v1_LayerGroupInfo, LayerGroupInfo__Output as _superconverge_v1_LayerGroupInfo__Output } from './superconverge/v1/LayerGroupInfo';
import type { PingReply as _superconverge_v1_PingReply, PingReply__Output as _superconverge_v1_PingReply__Output } from './superconverge/v1/PingReply';
import type { PingRequest as _superconverge_v1_PingRequest, PingRequest__Output as _superconverge_v1_PingRequest__Output } from './superconverge/v1/PingRequest';
import type { ReformReply as _superconverge_v1_ReformReply, ReformReply__Output as _superconverge_v1_ReformReply__Output } from './superconverge/v1/ReformReply';
import type { ReformRequest as _superconverge_v1_ReformRequest, ReformRequest__Output as _superconverge_v1_ReformRequest__Output } from './superconverge/v1/ReformRequest';
import type { RendezvousClient as _superconverge_v1_RendezvousClient, RendezvousDefinition as _superconverge_v1_RendezvousDefinition } from './superconverge/v1/Rendezvous';
import type { RingClient as _superconverge_v1_RingClient, RingDefinition as _superconverge_v1_RingDefinition } from './superconverge/v1/Ring';
import type { SetStateReply as _superconverge_v1_SetStateReply, SetStateReply__Output as _superconverge_v1_SetStateReply__Output } from './superconverge/v1/SetStateReply';
import type { ShutdownReply as _superconverge_v1_ShutdownReply, ShutdownReply__Output as _superconverge_v1_ShutdownReply__Output } from './superconverge/v1/ShutdownReply';
import type { ShutdownRequest as _superconverge_v1_ShutdownRequest, ShutdownRequest__Output as _superconverge_v1_ShutdownRequest__Output } from './superconverge/v1/ShutdownRequest';
import type { StateReply as _superconverge_v1_StateReply, StateReply__Output as _superconverge_v1_StateReply__Output } from './superconverge/v1/StateReply';
import type { StepReply as _superconverge_v1_StepReply, StepReply__Output as _superconverge_v1_StepReply__Output } from './superconverge/v1/StepReply';
import type { StepRequest as _superconverge_v1_StepRequest, StepRequest__Output as _superconverge_v1_StepRequest__Output } from './superconverge/v1/StepRequest';
import type { SyncBuffersReply as _superconverge_v1_SyncBuffersReply, SyncBuffersReply__Output as _superconverge_v1_SyncBuffersReply__Output } from './superconverge/v1/SyncBuffersReply';
import type { SyncBuffersRequest as _superconverge_v1_SyncBuffersRequest, SyncBuffersRequest__Output as _superconverge_v1_SyncBuffersRequest__Output } from './superconverge/v1/SyncBuffersRequest';
import type { TensorInfo as _superconverge_v1_TensorInfo, TensorInfo__Output as _superconverge_v1_TensorInfo__Output } from './superconverge/v1/TensorInfo';
import type { WorkerClient as _superconverge_v1_WorkerClient, WorkerDefinition as _superconverge_v1_WorkerDefinition } from './superconverge/v1/Worker';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  superconverge: {
    v1: {
      AbortReply: MessageTypeDefinition<_superconverge_v1_AbortReply, _superconverge_v1_AbortReply__Output>
      AbortRequest: MessageTypeDefinition<_superconverge_v1_AbortRequest, _superconverge_v1_AbortRequest__Output>
      ChecksumReply: MessageTypeDefinition<_superconverge_v1_ChecksumReply, _superconverge_v1_ChecksumReply__Output>
      ChecksumRequest: MessageTypeDefinition<_superconverge_v1_ChecksumRequest, _superconverge_v1_ChecksumRequest__Output>
      ChunkAck: MessageTypeDefinition<_superconverge_v1_ChunkAck, _superconverge_v1_ChunkAck__Output>
      ChunkMessage: MessageTypeDefinition<_superconverge_v1_ChunkMessage, _superconverge_v1_ChunkMessage__Output>
      ConfigureReply: MessageTypeDefinition<_superconverge_v1_ConfigureReply, _superconverge_v1_ConfigureReply__Output>
      ConfigureRequest: MessageTypeDefinition<_superconverge_v1_ConfigureRequest, _superconverge_v1_ConfigureRequest__Output>
      EvaluateReply: MessageTypeDefinition<_superconverge_v1_EvaluateReply, _superconverge_v1_EvaluateReply__Output>
      EvaluateRequest: MessageTypeDefinition<_superconverge_v1_EvaluateRequest, _superconverge_v1_EvaluateRequest__Output>
      ExportModelReply: MessageTypeDefinition<_superconverge_v1_ExportModelReply, _superconverge_v1_ExportModelReply__Output>
      ExportModelRequest: MessageTypeDefinition<_superconverge_v1_ExportModelRequest, _superconverge_v1_ExportModelRequest__Output>
      GetStateRequest: MessageTypeDefinition<_superconverge_v1_GetStateRequest, _superconverge_v1_GetStateRequest__Output>
      JoinReply: MessageTypeDefinition<_superconverge_v1_JoinReply, _superconverge_v1_JoinReply__Output>
      JoinRequest: MessageTypeDefinition<_superconverge_v1_JoinRequest, _superconverge_v1_JoinRequest__Output>
      LayerGroupInfo: MessageTypeDefinition<_superconverge_v1_LayerGroupInfo, _superconverge_v1_LayerGroupInfo__Output>
      PingReply: MessageTypeDefinition<_superconverge_v1_PingReply, _superconverge_v1_PingReply__Output>
      PingRequest: MessageTypeDefinition<_superconverge_v1_PingRequest, _superconverge_v1_PingRequest__Output>
      ReformReply: MessageTypeDefinition<_superconverge_v1_ReformReply, _superconverge_v1_ReformReply__Output>
      ReformRequest: MessageTypeDefinition<_superconverge_v1_ReformRequest, _superconverge_v1_ReformRequest__Output>
      Rendezvous: SubtypeConstructor<typeof grpc.Client, _superconverge_v1_RendezvousClient> & { service: _superconverge_v1_RendezvousDefinition }
      Ring: SubtypeConstructor<typeof grpc.Client, _superconverge_v1_RingClient> & { service: _superconverge_v1_RingDefinition }
      SetStateReply: MessageTypeDefinition<_superconverge_v1_SetStateReply, _superconverge_v1_SetStateReply__Output>
      ShutdownReply: MessageTypeDefinition<_superconverge_v1_ShutdownReply, _superconverge_v1_ShutdownReply__Output>
      ShutdownRequest: MessageTypeDefinition<_superconverge_v1_ShutdownRequest, _superconverge_v1_ShutdownRequest__Output>
      StateReply: MessageTypeDefinition<_superconverge_v1_StateReply, _superconverge_v1_StateReply__Output>
      StepReply: MessageTypeDefinition<_superconverge_v1_StepReply, _superconverge_v1_StepReply__Output>
      StepRequest: MessageTypeDefinition<_superconverge_v1_StepRequest, _superconverge_v1_StepRequest__Output>
      SyncBuffersReply: MessageTypeDefinition<_superconverge_v1_SyncBuffersReply, _superconverge_v1_SyncBuffersReply__Output>
      SyncBuffersRequest: MessageTypeDefinition<_superconverge_v1_SyncBuffersRequest, _superconverge_v1_SyncBuffersRequest__Output>
      TensorInfo: MessageTypeDefinition<_superconverge_v1_TensorInfo, _superconverge_v1_TensorInfo__Output>
      Worker: SubtypeConstructor<typeof grpc.Client, _superconverge_v1_WorkerClient> & { service: _superconverge_v1_WorkerDefinition }
    }
  }
}

