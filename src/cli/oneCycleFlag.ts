import { ConfigError, type OneCycleParams } from '../shared/config/index.js';
import { parseNumberList } from './parseNumberList.js';

/** `--one-cycle DIV,PCT[,MAX_MOM,MIN_MOM]`, fastai 0.7's use_clr_beta tuple. */
export function parseOneCycle(text: string): OneCycleParams {
  const v = parseNumberList('--one-cycle', text);
  if (v.length !== 2 && v.length !== 4) {
    throw new ConfigError(
      `--one-cycle takes DIV,PCT or DIV,PCT,MAX_MOM,MIN_MOM (e.g. 10,13.68,0.95,0.85), got '${text}'`,
    );
  }
  return v.length === 4 ? { div: v[0], pct: v[1], maxMomentum: v[2], minMomentum: v[3] } : { div: v[0], pct: v[1] };
}
