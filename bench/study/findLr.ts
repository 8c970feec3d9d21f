import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { suggestLr } from '../../src/coordinator/lrFind/index.js';
import { lrFind, type FitConfig } from '../../src/index.js';
import type { Logger } from '../../src/shared/log/index.js';
import { chooseWeightDecay, type WeightDecayChoice } from './chooseWeightDecay.js';

export interface LrChoice {
  /** The one-cycle's max lr: lr_find's recommendation on the chosen weight decay's sweep. */
  lr: number;
  wd: number;
  lrWhy: string;
  wdChoice: WeightDecayChoice;
  /** The lr_find2 run's folder, under the study's (a name, not a path: study.json names no machine's folders). */
  run: string;
}

interface SavedSweep {
  wd: number;
}
interface SavedSummary {
  sweeps: SavedSweep[];
  startLr: number;
  endLr: number;
  numIt: number;
  wds: number[];
  config: Partial<FitConfig>;
}

/** What differs between an lr_find2 run on disk and the one the study asks for. */
function staleness(
  saved: SavedSummary,
  base: Partial<FitConfig>,
  find: { startLr: number; endLr: number; numIt: number; wds: number[] },
): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['startLr', saved.startLr, find.startLr],
    ['endLr', saved.endLr, find.endLr],
    ['numIt', saved.numIt, find.numIt],
    ['wds', saved.wds, find.wds],
    ...(['batchSize', 'model', 'data', 'augment', 'seed', 'workers'] as const)
      .filter((k) => base[k] !== undefined)
      .map((k): [string, unknown, unknown] => [k, saved.config[k], base[k]]),
  ];
  return pairs
    .filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b))
    .map(([k, a, b]) => `${k} ${JSON.stringify(a)} there, ${JSON.stringify(b)} now`);
}
interface SavedRecord {
  wd?: number;
  lr: number;
  valLoss: number;
  loss: number;
}

/**
 * lr_find2 at this batch size, one sweep per weight decay, in `root/<name>` (read back when it already ran): picks
 * the weight decay whose sweep reaches the lowest validation loss, and that sweep's recommended one-cycle max lr,
 * read off its recorded points with the current suggestLr (so a study read back applies today's rule).
 */
export async function findLr(
  root: string,
  name: string,
  base: Partial<FitConfig>,
  find: { startLr: number; endLr: number; numIt: number; wds: number[] },
  log: Logger,
  signal?: AbortSignal,
): Promise<LrChoice> {
  const runDir = path.join(root, name);
  const summaryFile = path.join(runDir, 'summary.json');
  if (!existsSync(summaryFile)) {
    log.info(`study: lr_find2 at batch ${base.batchSize} in ${runDir}`);
    // overwrite: an interrupted sweep (lr_find.jsonl, no summary) starts again from scratch.
    await lrFind(
      { ...base, out: runDir },
      { ...find, linear: false, stopDiv: true },
      { logger: log, signal, overwrite: true },
    );
  } else {
    log.info(`study: lr_find2 already ran in ${runDir}; reading its results`);
  }
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as SavedSummary;
  const differs = staleness(summary, base, find);
  if (differs.length > 0) {
    throw new Error(
      `${runDir} holds an lr_find2 run with other settings than the study's now (${differs.join('; ')}); move it away or run with --fresh`,
    );
  }
  const records = readFileSync(path.join(runDir, 'lr_find.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SavedRecord);
  const sweeps = summary.sweeps.map((s) => ({
    wd: s.wd,
    points: records.filter((r) => summary.sweeps.length === 1 || r.wd === s.wd),
  }));
  const wdChoice = chooseWeightDecay(sweeps);
  const chosen = sweeps.find((s) => s.wd === wdChoice.wd)!;
  const suggestion = suggestLr(chosen.points, { skipStart: 10, skipEnd: 5 });
  if (!suggestion) {
    throw new Error(
      `lr_find2 in ${runDir} made no suggestion for wd ${wdChoice.wd} (too few finite points): raise numIt in the study plan`,
    );
  }
  return { lr: suggestion.lr, wd: wdChoice.wd, lrWhy: suggestion.explanation.lr, wdChoice, run: name };
}
