import { ConfigError } from '../shared/config/index.js';

/** Parses `a,b,c` into numbers; the flag is named in the error. */
export function parseNumberList(flag: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  const bad = parts.find((p, i) => p === '' || !Number.isFinite(values[i]));
  if (bad !== undefined) throw new ConfigError(`${flag} takes comma-separated numbers, got '${text}'`);
  return values;
}

/** Parses one finite number. */
export function parseNumber(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new ConfigError(`${flag} takes a number, got '${text}'`);
  return v;
}

/** Parses a non-negative integer. */
export function parseInteger(flag: string, text: string): number {
  const v = parseNumber(flag, text);
  if (!Number.isInteger(v) || v < 0) throw new ConfigError(`${flag} takes a whole number >= 0, got '${text}'`);
  return v;
}
