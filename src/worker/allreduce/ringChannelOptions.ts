/** gRPC channel and server options for the Ring service, sized for its chunks. */
import type { ChannelOptions } from '@grpc/grpc-js';

/** The largest chunk the ring sends; servers accept messages up to this plus the envelope. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Room for the ChunkMessage fields around the data. */
const ENVELOPE_BYTES = 4096;
/** HTTP/2 flow-control window: a few chunks in flight without waiting for WINDOW_UPDATEs. */
const FLOW_CONTROL_WINDOW = 16 * 1024 * 1024;

export function ringChannelOptions(): ChannelOptions {
  return {
    'grpc.max_send_message_length': MAX_CHUNK_BYTES + ENVELOPE_BYTES,
    'grpc.max_receive_message_length': MAX_CHUNK_BYTES + ENVELOPE_BYTES,
    'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW,
    // One connection per neighbour pair, never shared with other channels to the same address.
    'grpc.use_local_subchannel_pool': 1,
  };
}
