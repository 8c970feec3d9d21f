import { DataError } from './DataError.js';

/** An IDX file's content: its dimensions and its unsigned-byte data (row-major). */
interface IdxArray {
  readonly dims: number[];
  readonly data: Uint8Array;
}

/** IDX type code of unsigned bytes, the only type MNIST-style datasets use. */
const IDX_UBYTE = 0x08;

/**
 * Parses IDX bytes (http://yann.lecun.com/exdb/mnist/ format: 0x00 0x00 type ndims, ndims big-endian uint32
 * sizes, then the data). `expectedDims` is 3 for images, 1 for labels. `file` names the source in errors.
 * The returned data is a view into `bytes`.
 */
export function decodeIdx(bytes: Uint8Array, file: string, expectedDims: number): IdxArray {
  const expectedMagic = (IDX_UBYTE << 8) | expectedDims;
  const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
  if (bytes.length < 4) {
    throw new DataError(`${file}: truncated: ${bytes.length} bytes, too short for an IDX header`, { file });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new DataError(
      `${file}: bad IDX magic ${hex(magic)}, expected ${hex(expectedMagic)} ` +
        `(unsigned bytes, ${expectedDims} dimension${expectedDims === 1 ? '' : 's'})`,
      { file },
    );
  }
  const headerBytes = 4 + 4 * expectedDims;
  if (bytes.length < headerBytes) {
    throw new DataError(`${file}: truncated: ${bytes.length} bytes, the IDX header needs ${headerBytes}`, { file });
  }
  const dims: number[] = [];
  for (let d = 0; d < expectedDims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  const shape = dims.join('×');
  const have = bytes.length - headerBytes;
  if (have < dataBytes) {
    throw new DataError(`${file}: truncated: header says ${shape} = ${dataBytes} data bytes, file has ${have}`, {
      file,
    });
  }
  if (have > dataBytes) {
    throw new DataError(`${file}: ${have - dataBytes} unexpected bytes after the ${shape} data`, { file });
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Encodes unsigned bytes with the given dimensions as IDX (the inverse of decodeIdx). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`encodeIdx: dims ${dims.join('×')} = ${count} elements, data has ${data.length}`);
  }
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (IDX_UBYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
