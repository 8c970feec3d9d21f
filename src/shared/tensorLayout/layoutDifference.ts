import type { TensorInfo__Output } from '../proto/generated/superconverge/v1/TensorInfo.js';

/** What a flat float32 array holds, in order: each variable's name and shape. */
export type TensorLayout = readonly TensorInfo__Output[];

const show = (t: TensorInfo__Output): string => `${t.name} [${t.shape.join(',')}]`;

/**
 * Where a state's layout (`given`, e.g. a checkpoint's) differs from the replica's (`own`), in one sentence naming
 * the first tensor that differs and the tensors only one side has; undefined when they are the same.
 */
export function layoutDifference(what: string, given: TensorLayout, own: TensorLayout): string | undefined {
  const problems: string[] = [];
  const at = given.findIndex(
    (t, i) => i >= own.length || t.name !== own[i].name || t.shape.join(',') !== own[i].shape.join(','),
  );
  if (at >= 0)
    problems.push(
      `${what} tensor ${at} is ${show(given[at])} in the state, ${at < own.length ? show(own[at]) : 'absent'} in this model`,
    );
  else if (given.length < own.length)
    problems.push(`${what} tensor ${given.length} is absent in the state, ${show(own[given.length])} in this model`);
  const ownNames = new Set(own.map((t) => t.name));
  const givenNames = new Set(given.map((t) => t.name));
  const onlyGiven = given.filter((t) => !ownNames.has(t.name)).map((t) => t.name);
  const onlyOwn = own.filter((t) => !givenNames.has(t.name)).map((t) => t.name);
  if (onlyGiven.length > 0) problems.push(`only in the state: ${onlyGiven.join(', ')}`);
  if (onlyOwn.length > 0) problems.push(`only in this model: ${onlyOwn.join(', ')}`);
  if (problems.length > 0 && onlyGiven.length === 0 && onlyOwn.length === 0 && given.length === own.length) {
    problems.push('the same tensors in another order or shape');
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}
