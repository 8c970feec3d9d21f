export { crc32c, maskCrc } from './crc32c.js';
export { frameRecord, readRecords } from './tfRecord.js';
export { encodeEvent, type ScalarEvent } from './encodeEvent.js';
export { TensorBoardWriter, type TensorBoardWriterOptions } from './TensorBoardWriter.js';
