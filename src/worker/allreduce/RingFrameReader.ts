/**
 * One ring connection's inbound bytes, parsed in place: the reader says where the next bytes go (next()), and is
 * told how many landed there (filled()). A HELLO's parts, a chunk header and a chunk's data each have their own
 * destination, so a socket that reads into the buffers it is handed (Node's `onread`) puts every byte where it
 * belongs with no copy and no allocation per read: a chunk's data arrives in one 4-byte-aligned scratch buffer of
 * this connection, reads as large as the frame's missing part. A stream that hands out its own pieces (TLS) feeds
 * them through push(), which copies each piece to the same destinations.
 *
 * Nothing of a frame reaches the caller before it is whole: the header is decoded and checked (chunkHeader) before
 * any of its data is read, and the data is handed over (chunk) only once every byte of it has arrived.
 */
import {
  CHUNK_HEADER_BYTES,
  HELLO_FIXED_BYTES,
  decodeChunkHeader,
  decodeHello,
  helloTailBytes,
  type ChunkHeader,
  type Hello,
} from './ringFrames.js';

export interface RingFrameHandlers {
  /** A whole HELLO: the refusal (one line), or undefined to accept it. */
  hello(hello: Hello): string | undefined;
  /** A chunk header, before its data is read: the refusal, or undefined to read the data. */
  chunkHeader(hello: Hello, header: ChunkHeader): string | undefined;
  /** A whole chunk: `data` is a view on the reader's scratch, valid during the call. The refusal, or undefined. */
  chunk(hello: Hello, header: ChunkHeader, data: Uint8Array): string | undefined;
}

/** What a connection that ends now leaves unfinished (for the log line of a truncated frame). */
export type Unfinished = { kind: 'hello' } | { kind: 'frame'; got: number; want: number } | undefined;

type Part = 'hello-fixed' | 'hello-tail' | 'header' | 'data' | 'refused';

/** Where reads go once the connection is refused: what still arrives until it closes is read here and dropped. */
const DISCARD = new Uint8Array(64 * 1024);

export class RingFrameReader {
  private readonly handlers: RingFrameHandlers;
  private part: Part = 'hello-fixed';
  /** The current part's destination and how much of it has arrived. */
  private target: Uint8Array;
  private got = 0;
  private readonly helloFixed = Buffer.alloc(HELLO_FIXED_BYTES);
  private readonly headerBytes = Buffer.alloc(CHUNK_HEADER_BYTES);
  private helloTail = Buffer.alloc(0);
  private hello: Hello | undefined;
  private header: ChunkHeader | undefined;
  /** Receives chunk data: float32-aligned, grown to the largest chunk admitted, reused. */
  private scratch = new Float32Array(0);
  /** The refusal, once there is one: the reader then takes nothing more. */
  refusal: string | undefined;

  constructor(handlers: RingFrameHandlers) {
    this.handlers = handlers;
    this.target = this.helloFixed;
  }

  /** Where the next bytes go: a view on the current part's missing bytes (never empty). */
  next(): Uint8Array {
    if (this.part === 'refused') return DISCARD;
    return this.target.subarray(this.got);
  }

  /** `n` bytes were written at the start of the view next() returned. False once the connection is refused. */
  filled(n: number): boolean {
    if (this.part === 'refused') return false;
    this.got += n;
    while (this.got === this.target.byteLength) {
      if (!this.complete()) return false;
    }
    return true;
  }

  /** Bytes as a stream hands them out: copied to where they go. False once the connection is refused. */
  push(piece: Uint8Array): boolean {
    let at = 0;
    while (at < piece.byteLength) {
      if (this.part === 'refused') return false;
      const into = this.next();
      const m = Math.min(into.byteLength, piece.byteLength - at);
      into.set(piece.subarray(at, at + m));
      at += m;
      if (!this.filled(m)) return false;
    }
    return this.part !== 'refused';
  }

  /** What the connection leaves unfinished if it ends now. */
  unfinished(): Unfinished {
    switch (this.part) {
      case 'hello-fixed':
        return this.got > 0 ? { kind: 'hello' } : undefined;
      case 'hello-tail':
        return { kind: 'hello' };
      case 'header':
        return this.got > 0 ? { kind: 'frame', got: this.got, want: CHUNK_HEADER_BYTES } : undefined;
      case 'data': {
        const dataBytes = (this.header as ChunkHeader).dataBytes;
        return { kind: 'frame', got: CHUNK_HEADER_BYTES + this.got, want: CHUNK_HEADER_BYTES + dataBytes };
      }
      default:
        return undefined;
    }
  }

  /** The current part is whole: acts on it and moves to the next part. False when it is refused. */
  private complete(): boolean {
    switch (this.part) {
      case 'hello-fixed': {
        const tail = helloTailBytes(this.helloFixed);
        if (typeof tail === 'string') return this.refuse(tail);
        this.helloTail = Buffer.alloc(tail);
        this.to('hello-tail', this.helloTail);
        return true;
      }
      case 'hello-tail': {
        const hello = decodeHello(this.helloFixed, this.helloTail);
        const why = this.handlers.hello(hello);
        if (why !== undefined) return this.refuse(why);
        this.hello = hello;
        this.to('header', this.headerBytes);
        return true;
      }
      case 'header': {
        const header = decodeChunkHeader(this.headerBytes);
        if (typeof header === 'string') return this.refuse(header);
        const why = this.handlers.chunkHeader(this.hello as Hello, header);
        if (why !== undefined) return this.refuse(why);
        this.header = header;
        const elems = Math.ceil(header.dataBytes / 4);
        if (this.scratch.length < elems) this.scratch = new Float32Array(elems);
        this.to('data', new Uint8Array(this.scratch.buffer, 0, header.dataBytes));
        return true;
      }
      case 'data': {
        const why = this.handlers.chunk(this.hello as Hello, this.header as ChunkHeader, this.target);
        if (why !== undefined) return this.refuse(why);
        this.header = undefined;
        this.to('header', this.headerBytes);
        return true;
      }
      default:
        return false;
    }
  }

  private to(part: Part, target: Uint8Array): void {
    this.part = part;
    this.target = target;
    this.got = 0;
  }

  private refuse(why: string): false {
    this.refusal = why;
    this.part = 'refused';
    return false;
  }
}
