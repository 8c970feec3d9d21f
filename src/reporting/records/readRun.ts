import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PlotError } from '../PlotError.js';
import { EPOCH_COLUMNS, RECORD_FILES, type EpochRecord } from './records.js';
import type { LrFindRow, RunRecords, RunSummary, StepRow } from './RunRecords.js';

/**
 * Reads a run directory's records (metrics.jsonl, epochs.csv, lr_find.jsonl, summary.json), each optional, and
 * checks the fields the plots use. Errors name the file and line; a directory with none of the record files is an error.
 */
export function readRun(dir: string): RunRecords {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new PlotError(`run directory ${abs} does not exist`);
  if (!statSync(abs).isDirectory()) throw new PlotError(`${abs} is not a directory (expected a run directory)`);
  const file = (name: string) => path.join(abs, name);
  const run: RunRecords = {
    dir: abs,
    steps: readJsonl<StepRow>(file(RECORD_FILES.steps), ['iteration', 'epoch', 'lr', 'loss']),
    epochs: readEpochsCsv(file(RECORD_FILES.epochs)),
    lrFind: readJsonl<LrFindRow>(file(RECORD_FILES.lrFind), ['iteration', 'lr', 'loss']),
    summary: readSummary(file(RECORD_FILES.summary)),
  };
  if (!run.steps && !run.epochs && !run.lrFind) {
    const names = [RECORD_FILES.steps, RECORD_FILES.epochs, RECORD_FILES.lrFind].join(', ');
    throw new PlotError(`no records to plot in ${abs}: ${names} are all missing or empty`);
  }
  return run;
}

function readText(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return text.trim() === '' ? undefined : text;
}

function readJsonl<T>(file: string, required: string[]): T[] | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const rows: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new PlotError(`${file} line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw new PlotError(`${file} line ${i + 1}: expected an object`);
    for (const key of required) {
      const v = (obj as Record<string, unknown>)[key];
      if (typeof v !== 'number')
        throw new PlotError(`${file} line ${i + 1}: '${key}' must be a number, got ${JSON.stringify(v)}`);
    }
    rows.push(obj as T);
  });
  return rows.length > 0 ? rows : undefined;
}

function readEpochsCsv(file: string): EpochRecord[] | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const [header, ...lines] = text.trim().split('\n');
  const cols = header.trim().split(',');
  const index = EPOCH_COLUMNS.map((c) => {
    const at = cols.indexOf(c);
    if (at < 0) throw new PlotError(`${file}: header lacks column '${c}' (got '${header.trim()}')`);
    return at;
  });
  const rows = lines.map((line, i) => {
    const cells = line.trim().split(',');
    const values = index.map((at, k) => {
      const v = Number(cells[at]);
      if (cells[at] === undefined || cells[at] === '' || Number.isNaN(v)) {
        throw new PlotError(`${file} line ${i + 2}: '${EPOCH_COLUMNS[k]}' is not a number ('${cells[at] ?? ''}')`);
      }
      return v;
    });
    return Object.fromEntries(EPOCH_COLUMNS.map((c, k) => [c, values[k]])) as unknown as EpochRecord;
  });
  return rows.length > 0 ? rows : undefined;
}

function readSummary(file: string): RunSummary | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new PlotError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new PlotError(`${file}: expected a JSON object`);
  const s = obj as RunSummary;
  if (s.suggestion === null) delete s.suggestion;
  if (s.suggestion !== undefined && typeof s.suggestion.lr !== 'number') {
    throw new PlotError(`${file}: suggestion.lr must be a number, got ${JSON.stringify(s.suggestion.lr)}`);
  }
  return s;
}
