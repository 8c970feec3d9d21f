import { ConfigError } from '../shared/config/index.js';
import type { StepRequest__Output } from '../shared/proto/generated/superconverge/v1/StepRequest.js';

/**
 * Checks a Step request before it touches the replica: finite, in-range hyperparameters (one lr and one weight
 * decay per layer group, applied as they are), integral positions, and the step this worker expects next (`expected`; undefined right after
 * Configure or SetState, when any step may come). A ConfigError (INVALID_ARGUMENT on the wire) names the field.
 */
export function validateStepRequest(req: StepRequest__Output, groups: number, expected: number | undefined): void {
  const bad = (what: string): never => {
    throw new ConfigError(`Step ${req.step}: ${what}`);
  };
  const finite = (name: string, v: number, min: number, below = Infinity): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v >= below)
      bad(`${name} must be a finite number in [${min}, ${below}), got ${v}`);
  };
  for (const [name, v] of [
    ['step', req.step],
    ['epoch', req.epoch],
    ['batchInEpoch', req.batchInEpoch],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) bad(`${name} must be an integer >= 0, got ${v}`);
  }
  if (expected !== undefined && req.step !== expected) bad(`this worker expects step ${expected} next`);
  finite('momentum', req.momentum, 0, 1);
  for (const [name, list] of [
    ['groupLrs', req.groupLrs],
    ['groupWeightDecays', req.groupWeightDecays],
  ] as const) {
    if (list.length !== groups) bad(`${name} lists ${list.length} values; the model has ${groups} layer groups`);
    list.forEach((v, g) => finite(`${name}[${g}]`, v, 0));
  }
}
