import { ConfigError, FIT_SETTINGS, type FitConfig, type SettingDeclaration } from '../shared/config/index.js';
import { MAY_CHANGE_ON_RESUME } from '../shared/config/index.js';
import { LR_FIND_SETTINGS } from '../coordinator/index.js';
import { parseInteger, parseNumber } from './parseNumberList.js';

/** The command a flag table is for: fit takes every declared flag, lr-find the ones not marked fitOnly. */
export type FlagCommand = 'fit' | 'lr-find';
export type FlagValues = Record<string, string | boolean | undefined>;
type OptionTable = Record<string, { type: 'string' | 'boolean' }>;
type Declaration = SettingDeclaration<string>;

export function declaredFlags(command: FlagCommand): SettingDeclaration[] {
  return FIT_SETTINGS.filter((s) => command === 'fit' || !s.fitOnly);
}

/** parseArgs's option table for `command`'s fit settings plus `own` (lr-find's), from the declarations (and --help). */
export function optionTable(command: FlagCommand, own: readonly Declaration[] = []): OptionTable {
  return optionsOf([...declaredFlags(command), ...own]);
}

/** parseArgs's option table for `declarations` (and --help). */
export function optionsOf(declarations: readonly Declaration[]): OptionTable {
  const table: OptionTable = { help: { type: 'boolean' } };
  for (const s of declarations) table[s.flag] = { type: s.check.kind === 'switch' ? 'boolean' : 'string' };
  return table;
}

/** A string flag's value (undefined when absent). */
export function textOf(values: FlagValues, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Sets the config keys of every given flag whose declaration says how to read it (counts, numbers, enums, switches,
 * text); the `custom` ones are left to their own parsers. Enums are checked by resolveFitConfig, as from the API.
 */
export function applyDeclaredFlags(values: FlagValues, command: FlagCommand): Partial<FitConfig> {
  return applyFlags(values, declaredFlags(command)) as Partial<FitConfig>;
}

/** applyDeclaredFlags over any declarations (lr-find's own): the values they set, by key. */
export function applyFlags(values: FlagValues, declarations: readonly Declaration[]): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  for (const s of declarations) {
    const given = values[s.flag];
    if (given === undefined || given === false || s.key === undefined) continue;
    const flag = `--${s.flag}`;
    const text = String(given);
    switch (s.check.kind) {
      case 'count':
        c[s.key] = parseInteger(flag, text, s.check.min);
        break;
      case 'fraction':
      case 'positive':
        c[s.key] = parseNumber(flag, text);
        break;
      case 'enum':
      case 'text':
        c[s.key] = text;
        break;
      case 'switch':
        if (c[s.key] !== undefined && c[s.key] !== s.check.value) {
          const other = declarations.find((o) => o.key === s.key && o !== s && values[o.flag] === true);
          throw new ConfigError(`--${other?.flag} and ${flag} contradict each other: give one`);
        }
        c[s.key] = s.check.value;
        break;
      case 'custom':
        break;
    }
  }
  return c;
}

/** A declaration's default as --help and the README show it. */
function formatDefault(s: Declaration): string {
  const d = s.default;
  if (Array.isArray(d)) return d.map(formatValue).join(',');
  if (d !== null && typeof d === 'object') return Object.values(d).map(formatValue).join(',');
  return formatValue(d);
}

/** 1e-4 rather than 0.0001, as the flags are written. */
function formatValue(v: unknown): string {
  return typeof v === 'number' && v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

/** The help text with `{default}`, `{mayChange}` and `{other-flag}` (that flag's default) filled in. */
function describe(s: Declaration, declarations: readonly Declaration[]): string {
  const mayChange = MAY_CHANGE_ON_RESUME.map(
    (k) => `--${FIT_SETTINGS.find((o) => o.key === k && o.mayChangeOnResume)?.flag}`,
  );
  return s.help.replace(/\{([a-zA-Z-]+)\}/g, (whole, name: string) => {
    if (name === 'default') return formatDefault(s);
    if (name === 'mayChange') return mayChange.join(', ');
    const other = declarations.find((o) => o.flag === name);
    return other === undefined ? whole : formatDefault(other);
  });
}

function usage(s: Declaration): string {
  const arg = s.check.kind === 'enum' ? s.check.values.join('|') : s.arg;
  return arg === undefined ? `--${s.flag}` : `--${s.flag} ${arg}`;
}

const HELP_COLUMN = 29;
const HELP_WIDTH = 116;

/** Wraps `text` into lines of at most HELP_WIDTH, the first after `head`, the rest indented to HELP_COLUMN. */
function helpLines(head: string, text: string): string {
  const pad = ' '.repeat(HELP_COLUMN);
  let line = head.length + 2 > HELP_COLUMN ? `${head}  ` : head.padEnd(HELP_COLUMN);
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    if (line.length + word.length > HELP_WIDTH && line.trim() !== '' && line.length > HELP_COLUMN) {
      lines.push(line.trimEnd());
      line = pad;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** The flag sections of `command`'s --help, from the declarations. */
export function flagHelp(command: FlagCommand): string {
  return helpOf(declaredFlags(command));
}

/** --help lines for `declarations`, under their section headings. */
export function helpOf(declarations: readonly Declaration[]): string {
  const out: string[] = [];
  let section: string | undefined;
  let joined: string[] = [];
  for (const s of declarations) {
    if (s.section !== section) {
      section = s.section;
      out.push(section);
    }
    joined.push(usage(s));
    if (s.joinNext) continue;
    out.push(helpLines(`  ${joined.join(' ')}`, describe(s, declarations)));
    joined = [];
  }
  return out.join('\n') + '\n';
}

/** The flags of `command` as a space-separated list (lr-find's "plus fit's ..." line). */
export function flagList(command: FlagCommand): string[] {
  return declaredFlags(command).map((s) => `--${s.flag}`);
}

/** The README's flag table (fit's and lr-find's settings), from the declarations. */
export function flagTableMarkdown(): string {
  const row = (s: Declaration, commands: string, declarations: readonly Declaration[]): string => {
    const cells = [
      `\`${usage(s).replaceAll('|', '\\|')}\``,
      s.key === undefined ? '' : `\`${s.key}\``,
      s.key === undefined || s.default === undefined || s.default === '' ? '' : `\`${formatDefault(s)}\``,
      commands,
      s.mayChangeOnResume ? 'yes' : '',
      describe(s, declarations).replaceAll('|', '\\|'),
    ];
    return `| ${cells.join(' | ')} |`;
  };
  return (
    [
      '| flag | config key | default | commands | may change on --resume | what |',
      '|---|---|---|---|---|---|',
      ...FIT_SETTINGS.map((s) => row(s, s.fitOnly ? 'fit' : 'fit, lr-find', FIT_SETTINGS)),
      ...LR_FIND_SETTINGS.map((s) => row(s, 'lr-find', LR_FIND_SETTINGS)),
    ].join('\n') + '\n'
  );
}

const FLAG_TABLE_BEGIN =
  '<!-- flags:begin (generated from src/shared/config/fitSettings.ts: npm run gen:readme-flags) -->';
const FLAG_TABLE_END = '<!-- flags:end -->';

/** `readme` with the text between the flag-table markers replaced by flagTableMarkdown(). */
export function replaceFlagTable(readme: string): string {
  const begin = readme.indexOf(FLAG_TABLE_BEGIN);
  const end = readme.indexOf(FLAG_TABLE_END);
  if (begin < 0 || end < begin)
    throw new Error(`README.md has no flag table markers (${FLAG_TABLE_BEGIN} ... ${FLAG_TABLE_END})`);
  return readme.slice(0, begin + FLAG_TABLE_BEGIN.length) + '\n' + flagTableMarkdown() + readme.slice(end);
}
