import { ConfigError } from './ConfigError.js';
import { MAX_COUNT, type SettingDeclaration, settingLabel } from './fitSettings.js';

export function positive(key: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new ConfigError(`${key} must be a positive number, got ${v}`);
}
export function nonNegative(key: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new ConfigError(`${key} must be a number >= 0, got ${v}`);
}
export function integer(key: string, v: number, min: number, max = MAX_COUNT): void {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`${key} must be an integer >= ${min}, got ${v}`);
  if (v > max) throw new ConfigError(`${key} must be an integer <= ${max}, got ${v}`);
}
export function momentum(key: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v < 1)) throw new ConfigError(`${key} must be in [0, 1), got ${v}`);
}

/**
 * Each declared setting's own check (counts, enums, switches, fractions, positives), once per key, on values given
 * from the CLI or the API alike (fit's config, lr-find's options). A count equal to its default passes (--iterations'
 * 0 means "from --epochs"); `custom` and `text` settings are checked by their own code.
 */
export function checkDeclared<K extends string>(
  declarations: readonly SettingDeclaration<K>[],
  values: { readonly [key in K]?: unknown },
): void {
  const seen = new Set<K>();
  for (const s of declarations) {
    if (s.key === undefined || seen.has(s.key)) continue;
    seen.add(s.key);
    const key = settingLabel(s);
    const v = values[s.key];
    switch (s.check.kind) {
      case 'count':
        if (v !== s.default) integer(key, v as number, s.check.min);
        break;
      case 'enum':
        if (typeof v !== 'string' || !s.check.values.includes(v)) {
          throw new ConfigError(`${key} must be one of ${s.check.values.join(', ')}, got '${String(v)}'`);
        }
        break;
      case 'switch':
        if (typeof v !== 'boolean') throw new ConfigError(`${key} must be true or false, got ${JSON.stringify(v)}`);
        break;
      case 'fraction':
        momentum(key, v as number);
        break;
      case 'positive':
        positive(key, v as number);
        break;
      default:
        break;
    }
  }
}
