import { createHash } from 'node:crypto';
import type { Checkpoint } from './Checkpoint.js';

/**
 * The checkpoint file format: one ASCII header line, then the payload.
 *   SCCKPT1 <sha256 of the payload, hex> <payload bytes>\n
 *   payload = <meta JSON bytes, as a uint32 LE> <meta JSON> <weights> <momentum> <buffers>
 * The meta JSON holds everything but the three float32 arrays, and their byte lengths.
 */
const MAGIC = 'SCCKPT1';

interface Meta extends Omit<Checkpoint, 'weights' | 'momentum' | 'buffers'> {
  sizes: [number, number, number];
}

export function encodeCheckpoint(c: Checkpoint): Buffer {
  const { weights, momentum, buffers, ...rest } = c;
  const meta: Meta = { ...rest, sizes: [weights.byteLength, momentum.byteLength, buffers.byteLength] };
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.byteLength);
  const payload = Buffer.concat([len, json, weights, momentum, buffers]);
  const header = Buffer.from(`${MAGIC} ${createHash('sha256').update(payload).digest('hex')} ${payload.byteLength}\n`, 'ascii');
  return Buffer.concat([header, payload]);
}

/** Decodes a checkpoint file's bytes; throws an Error saying what is wrong (the caller adds the file). */
export function decodeCheckpoint(bytes: Buffer): Checkpoint {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0 || nl > 200) throw new Error('no header line (not a checkpoint, or truncated)');
  const [magic, digest, sizeText] = bytes.subarray(0, nl).toString('ascii').split(' ');
  if (magic !== MAGIC) throw new Error(`unknown format '${magic}' (expected ${MAGIC})`);
  const payload = bytes.subarray(nl + 1);
  if (payload.byteLength !== Number(sizeText)) {
    throw new Error(`payload is ${payload.byteLength} bytes, the header says ${sizeText} (truncated?)`);
  }
  const actual = createHash('sha256').update(payload).digest('hex');
  if (actual !== digest) throw new Error(`sha256 ${actual.slice(0, 12)}... does not match the header's ${String(digest).slice(0, 12)}... (corrupt)`);
  const jsonBytes = payload.readUInt32LE(0);
  const meta = JSON.parse(payload.subarray(4, 4 + jsonBytes).toString('utf8')) as Meta;
  if (meta.version !== 1) throw new Error(`version ${meta.version} is not supported`);
  const [w, m, b] = meta.sizes;
  let at = 4 + jsonBytes;
  const take = (n: number): Buffer => Buffer.from(payload.subarray(at, (at += n)));
  const weights = take(w);
  const momentum = take(m);
  const buffers = take(b);
  const { sizes: _sizes, ...rest } = meta;
  return { ...rest, weights, momentum, buffers };
}
