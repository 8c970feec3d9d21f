/**
 * TensorBoard's Event protobuf (tensorflow/core/util/event.proto; proto/tensorboard_event.proto holds the subset),
 * encoded by hand: wall_time (1, double), step (2, int64), file_version (3, string) or summary (5) whose values
 * (1, repeated) each hold tag (1, string) and simple_value (2, float).
 */
interface ScalarEvent {
  /** Seconds since the epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars?: { tag: string; value: number }[];
}

function varint(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`protobuf varint: ${n} is not a whole number in [0, 2^53)`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

const key = (field: number, wireType: number) => varint((field << 3) | wireType);

function bytesField(field: number, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(key(field, 2)), Buffer.from(varint(data.length)), data]);
}

function encodeValue(tag: string, value: number): Buffer {
  const f = Buffer.alloc(5);
  f[0] = 0x15; // field 2, wire type 5 (32-bit)
  f.writeFloatLE(value, 1);
  return Buffer.concat([bytesField(1, Buffer.from(tag, 'utf8')), f]);
}

export function encodeEvent(e: ScalarEvent): Buffer {
  const wall = Buffer.alloc(9);
  wall[0] = 0x09; // field 1, wire type 1 (64-bit)
  wall.writeDoubleLE(e.wallTime, 1);
  const parts: Buffer[] = [wall, Buffer.from([...key(2, 0), ...varint(e.step)])];
  if (e.fileVersion !== undefined) parts.push(bytesField(3, Buffer.from(e.fileVersion, 'utf8')));
  if (e.scalars)
    parts.push(bytesField(5, Buffer.concat(e.scalars.map((s) => bytesField(1, encodeValue(s.tag, s.value))))));
  return Buffer.concat(parts);
}
