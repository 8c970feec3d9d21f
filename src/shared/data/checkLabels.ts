import { DataError } from './DataError.js';

/**
 * Checks every label is < numClasses (when given) and returns the class count: numClasses, or the largest
 * label + 1 when it is not given. `file` names the labels' source in the error.
 */
export function checkLabels(labels: Uint8Array, file: string, numClasses?: number): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (numClasses !== undefined && label >= numClasses) {
      throw new DataError(`${file}: label ${label} at example ${i} is out of range for ${numClasses} classes`, { file });
    }
    if (label > max) max = label;
  }
  return numClasses ?? max + 1;
}
