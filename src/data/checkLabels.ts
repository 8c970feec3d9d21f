import { DataError } from './DataError.js';

/**
 * Checks the labels and returns the class count. With `numClasses` given, every label must be below it. Without it
 * (an `idx:DIR` dataset), the labels must be 0..K-1 with every class present, and K is the count: a label beyond
 * a gap (0..9 and one 200) is refused, naming the odd labels and how many examples carry them, rather than building
 * a 201-class head. `file` names the labels' source in the error.
 */
export function checkLabels(labels: Uint8Array, file: string, numClasses?: number): number {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (numClasses !== undefined && label >= numClasses) {
      throw new DataError(
        `${file}: label ${label} at example ${i} is out of range for ${numClasses} classes (0..${numClasses - 1})`,
        { file },
      );
    }
    counts[label]++;
  }
  if (numClasses !== undefined) return numClasses;
  const classes = counts.indexOf(0) === -1 ? 256 : counts.indexOf(0); // 0..classes-1 all present
  const odd = counts.map((n, label) => ({ label, n })).filter((c) => c.n > 0 && c.label > classes);
  if (odd.length > 0) {
    const listed = odd
      .slice(0, 10)
      .map((c) => `${c.label} (${c.n} example${c.n === 1 ? '' : 's'})`)
      .join(', ');
    const more = odd.length > 10 ? ` and ${odd.length - 10} more labels` : '';
    throw new DataError(
      `${file}: labels must be 0..K-1 with every class present; ${classes > 0 ? `0..${classes - 1} are, then ` : ''}no example has label ${classes}, ` +
        `but ${odd.length === 1 ? 'label' : 'labels'} ${listed}${more} ${odd.length === 1 ? 'lies' : 'lie'} beyond that gap: relabel them or drop those examples`,
      { file },
    );
  }
  if (classes === 0) throw new DataError(`${file}: no labels`, { file });
  return classes;
}
