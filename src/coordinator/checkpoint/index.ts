export { CheckpointError, type Checkpoint, type LoopState } from './Checkpoint.js';
export { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec.js';
export { CheckpointStore, checkpointDir } from './CheckpointStore.js';
export { resumeConfig } from './resumeConfig.js';
export { restoreCheckpoint } from './restoreCheckpoint.js';
