/** Test helper: a raw connection to a ring server that sends whatever bytes a test forges and reads the replies. */
import net from 'node:net';
import tls from 'node:tls';
import {
  REPLY_ACCEPT,
  REPLY_FIXED_BYTES,
  REPLY_REFUSE,
  encodeChunkHeader,
  encodeHello,
  type ChunkHeader,
  type Hello,
} from '../../src/worker/allreduce/ringFrames.js';

export interface Reply {
  kind: 'accept' | 'refuse';
  message: string;
}

/** The replies in `bytes` (REPLY frames, back to back). */
export function parseReplies(bytes: Buffer): Reply[] {
  const out: Reply[] = [];
  let at = 0;
  while (at + REPLY_FIXED_BYTES <= bytes.length) {
    const kind = bytes.readUInt8(at);
    const n = bytes.readUInt32LE(at + 4);
    if (kind !== REPLY_ACCEPT && kind !== REPLY_REFUSE) throw new Error(`unknown reply kind ${kind}`);
    out.push({
      kind: kind === REPLY_ACCEPT ? 'accept' : 'refuse',
      message: bytes.toString('utf8', at + REPLY_FIXED_BYTES, at + REPLY_FIXED_BYTES + n),
    });
    at += REPLY_FIXED_BYTES + n;
  }
  return out;
}

export const hello = (h: Partial<Hello> & { ringId: string }): Buffer => encodeHello({ fromRank: 0, token: '', ...h });

export const chunk = (h: Omit<ChunkHeader, 'dataBytes'>, data: Buffer): Buffer =>
  Buffer.concat([encodeChunkHeader({ ...h, dataBytes: data.length }), data]);

/**
 * Connects to `address`, writes `parts` in order (then ends its side when `end`), and resolves with every reply
 * once the server closes the connection, or after `waitMs` when it does not.
 */
export function exchange(
  address: string,
  parts: Buffer[],
  opts: { end?: boolean; waitMs?: number; tls?: tls.ConnectionOptions } = {},
): Promise<Reply[]> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i);
  const port = Number(address.slice(i + 1));
  const socket = opts.tls ? tls.connect({ host, port, ...opts.tls }) : net.connect({ host, port });
  const got: Buffer[] = [];
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(parseReplies(Buffer.concat(got)));
      } catch (err) {
        reject(err);
      }
    };
    const timer = setTimeout(finish, opts.waitMs ?? 5000);
    socket.once(opts.tls ? 'secureConnect' : 'connect', () => {
      for (const p of parts) socket.write(p);
      if (opts.end) socket.end();
    });
    socket.on('data', (b: Buffer) => got.push(b));
    socket.on('close', finish);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
