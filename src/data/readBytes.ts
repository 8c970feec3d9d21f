import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DataError } from './DataError.js';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a whole file, gunzipping it when it starts with the gzip magic (1f 8b) whatever its name.
 * A missing, unreadable or corrupt-gzip file is a DataError naming the file.
 */
export async function readBytes(file: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : `cannot read (${(err as Error).message})`;
    throw new DataError(`${file}: ${what}`, { file, cause: err });
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      const inflated = await gunzipAsync(raw);
      return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
    } catch (err) {
      throw new DataError(`${file}: corrupt gzip data (${(err as Error).message})`, { file, cause: err });
    }
  }
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
}
