import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../shared/config/index.js';

/** What a fit or an lr-find writes into its run directory: any of them there means the directory holds a run. */
const RUN_FILES = ['summary.json', 'metrics.jsonl', 'epochs.csv', 'evals.csv', 'lr_find.jsonl', 'checkpoints', 'model'];
/** Also a run's, removed by --overwrite with RUN_FILES: its plots and report. Other files in the folder are kept. */
const RUN_OUTPUTS = /^(report\.html|(lr|loss|lr_find)\.(png|svg))$/;

/**
 * `runs/<time>-<kind>` under the working directory unless `out` names one; created. A directory that already holds
 * a run is refused (its checkpoints and records would mix with the new run's), unless `overwrite`, which first removes
 * that run's outputs (records, checkpoints, model, plots, report; files a run does not write are left alone). `out` naming a file, or a path under one, is a ConfigError too.
 */
export function runDirectory(out: string, kind: string, opts: { overwrite?: boolean; now?: Date } = {}): string {
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = path.resolve(out || path.join('runs', `${stamp}-${kind}`));
  checkOutputDir(dir, '--out');
  const held = existsSync(dir) ? RUN_FILES.filter((f) => existsSync(path.join(dir, f))) : [];
  if (held.length > 0) {
    if (!opts.overwrite) {
      const resume = held.includes('checkpoints') ? `continue it with \`superconverge fit --resume ${dir}\`, ` : '';
      throw new ConfigError(
        `--out ${dir} already holds a run (${held.join(', ')}): ${resume}choose another --out, or give --overwrite to replace it`,
      );
    }
    for (const entry of readdirSync(dir)) {
      if (RUN_FILES.includes(entry) || RUN_OUTPUTS.test(entry))
        rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Checks that `dir` can be a directory this run writes into (it is one, or can be made): a file in its place or in
 * the way is a ConfigError naming `flag`, found before anything is started.
 */
export function checkOutputDir(dir: string, flag: string): void {
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) {
        throw new ConfigError(
          p === path.resolve(dir)
            ? `${flag} ${dir} is a file, not a directory`
            : `${flag} ${dir} cannot be created: ${p} is a file`,
        );
      }
      return;
    }
    if (path.dirname(p) === p) return;
  }
}
