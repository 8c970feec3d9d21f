import * as tf from '@tensorflow/tfjs';
import { type ModelFiles, writeModelFiles } from '../../shared/models/index.js';

/** Serialises a model to the tfjs layers-model format on any backend (no file:// handler needed). */
export async function exportModel(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.weightData || !artifacts.weightSpecs)
        throw new Error('exportModel: the model produced no weights');
      const parts = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
      const weights = Buffer.concat(parts.map((b) => Buffer.from(b)));
      const modelJson = JSON.stringify({
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: `superconverge (TensorFlow.js ${tf.version.tfjs})`,
        convertedBy: null,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
      });
      files = { modelJson, weights };
      return {
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength },
      };
    }),
  );
  return files!;
}

/** exportModel then writeModelFiles. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<string> {
  return writeModelFiles(await exportModel(model), dir);
}
