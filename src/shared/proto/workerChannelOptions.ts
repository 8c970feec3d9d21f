/** gRPC channel and server options for the Worker and Rendezvous services (coordinator <-> worker). */
import type { ChannelOptions } from '@grpc/grpc-js';

/** GetState, SetState and ExportModel carry whole models (weights and momentum): allow up to 1 GiB. */
const MAX_WORKER_MESSAGE_BYTES = 1024 * 1024 * 1024;

export function workerChannelOptions(): ChannelOptions {
  return {
    'grpc.max_send_message_length': MAX_WORKER_MESSAGE_BYTES,
    'grpc.max_receive_message_length': MAX_WORKER_MESSAGE_BYTES,
  };
}
