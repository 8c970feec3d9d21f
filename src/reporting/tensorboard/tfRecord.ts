import { crc32c, maskCrc } from './crc32c.js';

/**
 * One TFRecord: uint64 length (little-endian), masked CRC-32C of those 8 bytes, the data, masked CRC-32C of the data.
 */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskCrc(crc32c(out.subarray(0, 8))), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskCrc(crc32c(data)), 12 + data.length);
  return out;
}

/** Splits a TFRecord file into its records, checking both CRCs of each; errors name the record and its offset. */
export function readRecords(buf: Uint8Array, name = 'TFRecord data'): Buffer[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: Buffer[] = [];
  let at = 0;
  while (at < b.length) {
    if (b.length - at < 12) throw new Error(`${name}: record ${records.length} at byte ${at}: truncated header`);
    const len = b.readBigUInt64LE(at);
    if (b.readUInt32LE(at + 8) !== maskCrc(crc32c(b.subarray(at, at + 8)))) {
      throw new Error(`${name}: record ${records.length} at byte ${at}: length CRC mismatch`);
    }
    const n = Number(len);
    if (n > b.length - at - 16)
      throw new Error(`${name}: record ${records.length} at byte ${at}: length ${len} runs past the end`);
    const data = b.subarray(at + 12, at + 12 + n);
    if (b.readUInt32LE(at + 12 + n) !== maskCrc(crc32c(data))) {
      throw new Error(`${name}: record ${records.length} at byte ${at}: data CRC mismatch`);
    }
    records.push(Buffer.from(data));
    at += 16 + n;
  }
  return records;
}
