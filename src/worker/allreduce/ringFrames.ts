/**
 * The ring's data plane on the wire: a TCP (or TLS) stream from a rank to its right neighbour, little-endian.
 *
 *   sender -> receiver, once:  HELLO  'SCR1' | from_rank u32 | ring_id_bytes u16 | token_bytes u16 | ring_id | token
 *   receiver -> sender, once:  REPLY  kind u8 (1 accept, 2 refuse) | 3 reserved | message_bytes u32 | utf-8 message
 *   sender -> receiver, then:  CHUNK  'CHNK' | phase u8 | 3 reserved | round u32 | data_bytes u32 | op u64
 *                                     | offset u64 (elements) | length u64 (elements of the op) | data (float32)
 *
 * A refusal (REPLY kind 2, at the handshake or for any later frame) is the receiver's last word: it then closes the
 * connection. Chunks are not acknowledged one by one: TCP delivers them in order, and a refusal says which failed.
 */

/** The largest chunk the ring sends or accepts (bytes of float32 data in one frame). */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Longest ring id and token a HELLO may carry. */
const MAX_RING_ID_BYTES = 1024;
const MAX_TOKEN_BYTES = 4096;
/** Longest refusal message a REPLY may carry. */
export const MAX_MESSAGE_BYTES = 4096;

const HELLO_MAGIC = 0x31524353; // 'SCR1' read as a little-endian u32
const CHUNK_MAGIC = 0x4b4e4843; // 'CHNK'
export const HELLO_FIXED_BYTES = 12;
export const CHUNK_HEADER_BYTES = 40;
export const REPLY_FIXED_BYTES = 8;
export const REPLY_ACCEPT = 1;
export const REPLY_REFUSE = 2;

export interface Hello {
  fromRank: number;
  ringId: string;
  /** Empty when the sender has no token. */
  token: string;
}

export interface ChunkHeader {
  op: number;
  phase: number;
  round: number;
  /** First element of the chunk within the op's buffer. */
  offset: number;
  /** Elements in the op's whole buffer. */
  length: number;
  dataBytes: number;
}

export function encodeHello(h: Hello): Buffer {
  const ringId = Buffer.from(h.ringId, 'utf8');
  const token = Buffer.from(h.token, 'utf8');
  if (ringId.length > MAX_RING_ID_BYTES)
    throw new RangeError(`ring id is ${ringId.length} bytes, at most ${MAX_RING_ID_BYTES}`);
  if (token.length > MAX_TOKEN_BYTES)
    throw new RangeError(`token is ${token.length} bytes, at most ${MAX_TOKEN_BYTES}`);
  const out = Buffer.allocUnsafe(HELLO_FIXED_BYTES + ringId.length + token.length);
  out.writeUInt32LE(HELLO_MAGIC, 0);
  out.writeUInt32LE(h.fromRank, 4);
  out.writeUInt16LE(ringId.length, 8);
  out.writeUInt16LE(token.length, 10);
  ringId.copy(out, HELLO_FIXED_BYTES);
  token.copy(out, HELLO_FIXED_BYTES + ringId.length);
  return out;
}

/** The variable part's length announced by a HELLO's fixed part, or why the fixed part is not a HELLO. */
export function helloTailBytes(fixed: Buffer): number | string {
  if (fixed.readUInt32LE(0) !== HELLO_MAGIC)
    return "the connection does not start with the ring protocol's hello (is it a superconverge ring peer of the same version?)";
  const ringIdBytes = fixed.readUInt16LE(8);
  const tokenBytes = fixed.readUInt16LE(10);
  if (ringIdBytes > MAX_RING_ID_BYTES)
    return `hello announces a ring id of ${ringIdBytes} bytes, at most ${MAX_RING_ID_BYTES}`;
  if (tokenBytes > MAX_TOKEN_BYTES) return `hello announces a token of ${tokenBytes} bytes, at most ${MAX_TOKEN_BYTES}`;
  return ringIdBytes + tokenBytes;
}

export function decodeHello(fixed: Buffer, tail: Buffer): Hello {
  const ringIdBytes = fixed.readUInt16LE(8);
  return {
    fromRank: fixed.readUInt32LE(4),
    ringId: tail.toString('utf8', 0, ringIdBytes),
    token: tail.toString('utf8', ringIdBytes),
  };
}

export function encodeChunkHeader(h: ChunkHeader): Buffer {
  const out = Buffer.allocUnsafe(CHUNK_HEADER_BYTES);
  out.writeUInt32LE(CHUNK_MAGIC, 0);
  out.writeUInt8(h.phase, 4);
  out.writeUInt8(0, 5);
  out.writeUInt16LE(0, 6);
  out.writeUInt32LE(h.round, 8);
  out.writeUInt32LE(h.dataBytes, 12);
  out.writeBigUInt64LE(BigInt(h.op), 16);
  out.writeBigUInt64LE(BigInt(h.offset), 24);
  out.writeBigUInt64LE(BigInt(h.length), 32);
  return out;
}

/** A chunk header, or why these bytes are not one (checked before any of the data is read). */
export function decodeChunkHeader(b: Buffer): ChunkHeader | string {
  if (b.readUInt32LE(0) !== CHUNK_MAGIC)
    return 'malformed frame: a chunk header does not start with CHNK (the stream is out of step)';
  const dataBytes = b.readUInt32LE(12);
  if (dataBytes > MAX_CHUNK_BYTES)
    return `chunk of ${dataBytes} bytes is larger than the ${MAX_CHUNK_BYTES}-byte limit`;
  return {
    phase: b.readUInt8(4),
    round: b.readUInt32LE(8),
    dataBytes,
    // u64 fields beyond 2^53 become unsafe integers, which the receiver refuses.
    op: Number(b.readBigUInt64LE(16)),
    offset: Number(b.readBigUInt64LE(24)),
    length: Number(b.readBigUInt64LE(32)),
  };
}

export function encodeReply(kind: typeof REPLY_ACCEPT | typeof REPLY_REFUSE, message = ''): Buffer {
  let text = Buffer.from(message, 'utf8');
  if (text.length > MAX_MESSAGE_BYTES) text = text.subarray(0, MAX_MESSAGE_BYTES);
  const out = Buffer.alloc(REPLY_FIXED_BYTES + text.length);
  out.writeUInt8(kind, 0);
  out.writeUInt32LE(text.length, 4);
  text.copy(out, REPLY_FIXED_BYTES);
  return out;
}

/**
 * Bytes arriving on a stream, taken off in frames (the sender's side reads the receiver's replies with it; the
 * receiver reads chunk frames with RingFrameReader). take(n) hands back the next n bytes as a view when they lie in
 * one received piece, else as one copy; the queue holds no more than a frame plus one piece, since frames are taken
 * as soon as they are complete.
 */
export class ByteQueue {
  private pieces: Buffer[] = [];
  private head = 0;
  size = 0;

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.size += piece.length;
  }

  /** The next n bytes, or undefined when fewer have arrived. */
  take(n: number): Buffer | undefined {
    if (n === 0) return Buffer.alloc(0);
    if (this.size < n) return undefined;
    this.size -= n;
    const first = this.pieces[0];
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.pieces.shift();
        this.head = 0;
      }
      return out;
    }
    const out = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pieces[0];
      const m = Math.min(n - filled, piece.length - this.head);
      piece.copy(out, filled, this.head, this.head + m);
      filled += m;
      this.head += m;
      if (this.head === piece.length) {
        this.pieces.shift();
        this.head = 0;
      }
    }
    return out;
  }
}
