export { crc32c, maskCrc } from './crc32c.js';
export { frameRecord, readRecords } from './tfRecord.js';
export { encodeEvent } from './encodeEvent.js';
export { TensorBoardWriter } from './TensorBoardWriter.js';
