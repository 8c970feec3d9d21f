import { DataError } from './DataError.js';
import type { DatasetSplit } from './DatasetSplit.js';
import { decodeIdx } from './IdxArray.js';
import { readBytes } from './readBytes.js';
import { toSharedBytes } from './toSharedBytes.js';
import { checkLabels } from './checkLabels.js';

/**
 * Reads one split from an IDX images file (n × height × width, unsigned bytes; gzipped or raw) and its IDX labels
 * file (n unsigned bytes). Channels = 1. The class count is `numClasses` when given (labels are checked against
 * it), else the largest label + 1. Any mismatch is a DataError naming the file.
 */
export async function readIdxSplit(
  imagesFile: string,
  labelsFile: string,
  name: string,
  numClasses?: number,
): Promise<DatasetSplit> {
  const [imageBytes, labelBytes] = await Promise.all([readBytes(imagesFile), readBytes(labelsFile)]);
  const images = decodeIdx(imageBytes, imagesFile, 3);
  const labels = decodeIdx(labelBytes, labelsFile, 1);
  const [n, height, width] = images.dims;
  const [labelCount] = labels.dims;
  if (labelCount !== n) {
    throw new DataError(`${labelsFile}: ${labelCount} labels, but ${imagesFile} has ${n} images`, { file: labelsFile });
  }
  if (n === 0 || height === 0 || width === 0) {
    throw new DataError(`${imagesFile}: empty image array (${n}×${height}×${width})`, { file: imagesFile });
  }
  const labelArray = labels.data.slice();
  return {
    name,
    pixels: toSharedBytes(images.data),
    labels: labelArray,
    n,
    height,
    width,
    channels: 1,
    numClasses: checkLabels(labelArray, labelsFile, numClasses),
  };
}
