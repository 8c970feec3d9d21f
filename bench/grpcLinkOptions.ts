/**
 * gRPC channel and server options for the benchmark's single gRPC link (the transport the ring used before its
 * TCP data plane), sized for the ring's largest chunk.
 */
import type { ChannelOptions } from '@grpc/grpc-js';
import { MAX_CHUNK_BYTES } from '../src/worker/allreduce/ringFrames.js';

/** Room for the ChunkMessage fields around the data. */
const ENVELOPE_BYTES = 4096;
/** Default HTTP/2 flow-control window: a few chunks in flight without waiting for WINDOW_UPDATEs. */
export const DEFAULT_GRPC_WINDOW_BYTES = 16 * 1024 * 1024;

export function grpcLinkOptions(windowBytes = DEFAULT_GRPC_WINDOW_BYTES): ChannelOptions {
  return {
    'grpc.max_send_message_length': MAX_CHUNK_BYTES + ENVELOPE_BYTES,
    'grpc.max_receive_message_length': MAX_CHUNK_BYTES + ENVELOPE_BYTES,
    'grpc-node.flow_control_window': windowBytes,
    'grpc.use_local_subchannel_pool': 1,
  };
}
