import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A LayersModel in the tfjs format, in memory: model.json text whose manifest names ./weights.bin, and its bytes. */
export interface ModelFiles {
  modelJson: string;
  weights: Buffer;
}

/**
 * Writes model.json + weights.bin under `dir`, loadable with tf.loadLayersModel or `--model DIR/model.json`. The
 * files are made by the worker (exportModel); writing them needs no tfjs, so the coordinator does it.
 */
export async function writeModelFiles(files: ModelFiles, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'weights.bin'), files.weights);
  const jsonPath = path.join(dir, 'model.json');
  await writeFile(jsonPath, files.modelJson);
  return jsonPath;
}
