import { createHash } from 'node:crypto';
import type { TensorLayout } from '../../shared/tensorLayout/index.js';
import type { Checkpoint } from './Checkpoint.js';

/**
 * The checkpoint file format: one ASCII header line, then the payload.
 *   SCCKPT1 <sha256 of the payload, hex> <payload bytes>\n
 *   payload = <meta JSON bytes, as a uint32 LE> <meta JSON> <weights> <momentum> <buffers>
 * The meta JSON holds everything but the three float32 arrays, their byte lengths (`sizes`) and, from format version
 * 2 on, `tensors`: for the weights and the buffers, each variable's name, shape and offset (in float32 values from
 * the start of its array; the momentum array is laid out as the weights). Version 1 files, without `tensors`, are
 * read with empty layouts (restored by position, checked by length only).
 */
const MAGIC = 'SCCKPT1';
const VERSION = 2;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

interface Meta extends Omit<Checkpoint, 'state'> {
  version: number;
  sizes: [number, number, number];
  tensors?: { weights: TensorEntry[]; buffers: TensorEntry[] };
}

function entries(layout: TensorLayout): TensorEntry[] {
  let offset = 0;
  return layout.map((t) => {
    const e = { name: t.name, shape: [...t.shape], offset };
    offset += t.shape.reduce((a, b) => a * b, 1);
    return e;
  });
}

/** The layout an entry list describes, after checking that its offsets follow from the shapes and fill `bytes`. */
function layoutOf(what: string, list: TensorEntry[], bytes: number): { name: string; shape: number[] }[] {
  let at = 0;
  for (const e of list) {
    if (e.offset !== at)
      throw new Error(`the header puts ${what} tensor ${e.name} at offset ${e.offset}, its shapes at ${at}`);
    at += e.shape.reduce((a, b) => a * b, 1);
  }
  if (at * 4 !== bytes)
    throw new Error(`the header's ${what} tensors hold ${at} values, the ${what} array ${bytes / 4}`);
  return list.map((e) => ({ name: e.name, shape: e.shape }));
}

export function encodeCheckpoint(c: Checkpoint): Buffer {
  const { state, ...rest } = c;
  const { weights, momentum, buffers } = state;
  const meta: Meta = {
    version: VERSION,
    ...rest,
    sizes: [weights.byteLength, momentum.byteLength, buffers.byteLength],
    tensors: { weights: entries(state.weightTensors), buffers: entries(state.bufferTensors) },
  };
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.byteLength);
  const payload = Buffer.concat([len, json, weights, momentum, buffers]);
  const header = Buffer.from(
    `${MAGIC} ${createHash('sha256').update(payload).digest('hex')} ${payload.byteLength}\n`,
    'ascii',
  );
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
  if (actual !== digest)
    throw new Error(
      `sha256 ${actual.slice(0, 12)}... does not match the header's ${String(digest).slice(0, 12)}... (corrupt)`,
    );
  const jsonBytes = payload.readUInt32LE(0);
  const meta = JSON.parse(payload.subarray(4, 4 + jsonBytes).toString('utf8')) as Meta;
  if (meta.version !== 1 && meta.version !== VERSION) {
    throw new Error(`format version ${meta.version} is not supported (this build reads 1 and ${VERSION})`);
  }
  if (meta.version === VERSION && !meta.tensors)
    throw new Error(`format version ${VERSION} without its tensors list (corrupt)`);
  const [w, m, b] = meta.sizes;
  if (m !== w) throw new Error(`the momentum array has ${m} bytes, the weights ${w}`);
  let at = 4 + jsonBytes;
  const take = (n: number): Buffer => Buffer.from(payload.subarray(at, (at += n)));
  const weights = take(w);
  const momentum = take(m);
  const buffers = take(b);
  const { version: _version, sizes: _sizes, tensors, ...rest } = meta;
  return {
    ...rest,
    state: {
      weights,
      momentum,
      buffers,
      weightTensors: tensors ? layoutOf('weight', tensors.weights, w) : [],
      bufferTensors: tensors ? layoutOf('buffer', tensors.buffers, b) : [],
    },
  };
}
