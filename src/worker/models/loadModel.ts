import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Loads a tfjs LayersModel (model.json + weight files) from disk: `p` is the model.json or its folder. */
export async function loadModel(p: string): Promise<tf.LayersModel> {
  let jsonPath = p;
  try {
    if ((await stat(p)).isDirectory()) jsonPath = path.join(p, 'model.json');
  } catch {
    throw new Error(`--model ${p}: no such file or folder`);
  }
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  } catch (e) {
    throw new Error(`--model ${jsonPath}: cannot read a tfjs model.json (${(e as Error).message})`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`--model ${jsonPath}: not a tfjs layers model (needs modelTopology and weightsManifest)`);
  }
  const dir = path.dirname(jsonPath);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const file of group.paths) {
      try {
        buffers.push(await readFile(path.join(dir, file)));
      } catch {
        throw new Error(`--model ${jsonPath}: weight file ${file} is missing`);
      }
    }
  }
  const all = Buffer.concat(buffers);
  const needed = specs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * bytesPerValue(w), 0);
  if (all.byteLength !== needed) {
    const files = json.weightsManifest.flatMap((g) => g.paths).join(', ');
    throw new Error(
      `--model ${jsonPath}: ${files} ${all.byteLength < needed ? 'is truncated' : 'is longer than its manifest says'}: ` +
        `${all.byteLength} bytes, the manifest's ${specs.length} weights need ${needed}`,
    );
  }
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData }),
    );
  } catch (e) {
    throw new Error(`--model ${jsonPath}: ${(e as Error).message}`);
  }
}

/** Bytes per stored value of a manifest entry: its quantized type's when quantized, else its dtype's. */
function bytesPerValue(w: tf.io.WeightsManifestEntry): number {
  const q = w.quantization?.dtype;
  if (q) return q === 'uint8' ? 1 : 2; // uint16, float16
  return w.dtype === 'bool' ? 1 : 4; // float32, int32 (string weights do not occur in layers models)
}
