import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, resolveFitConfig, type FitConfig } from '../../shared/config/index.js';
import { createLogger, type Logger } from '../../shared/log/index.js';
import { lrRange } from '../../shared/schedule/index.js';
import { Cluster, type ReplicaChecksum } from '../Cluster.js';
import { emit } from '../emit.js';
import type { FitCallback, FitContext } from '../FitCallback.js';
import { launchWorkers, type LaunchedWorkers } from '../launchWorkers.js';
import { lrFindTextChart, PlotsCallback } from '../plots/index.js';
import { ProgressBar } from '../ProgressBar.js';
import { runDirectory } from '../runDirectory.js';
import { trainLoop } from '../trainLoop.js';
import { LrFindRecorder, type LrFindRecord } from './LrFindRecorder.js';
import { suggestLr, type LrFindSuggestion } from './suggestLr.js';

/** fastai 0.7's lr_find2(start_lr, end_lr, num_it, wds, linear, stop_dv). */
export interface LrFindOptions {
  startLr: number;
  endLr: number;
  /** Iterations of the range test (crossing epoch boundaries as needed). */
  numIt: number;
  /** One sweep per weight decay, each from the same starting weights. */
  wds: number[];
  linear: boolean;
  /** Stop when the smoothed training loss explodes. */
  stopDiv: boolean;
  skipStart: number;
  skipEnd: number;
}

export const DEFAULT_LR_FIND: LrFindOptions = {
  startLr: 1e-5, endLr: 10, numIt: 100, wds: [1e-2], linear: false, stopDiv: true, skipStart: 10, skipEnd: 5,
};

export interface LrFindResult {
  runDir: string;
  records: LrFindRecord[];
  /** Per weight decay: its suggestion (undefined when the curve was too short), and why a sweep stopped early. */
  sweeps: { wd: number; iterations: number; stoppedEarly?: string; suggestion?: LrFindSuggestion }[];
  /** The suggestion of the first sweep. */
  suggestion?: LrFindSuggestion;
  /** Digests of the weights, momentum buffers and BatchNorm statistics before and after: lr_find puts them back. */
  checksumBefore: ReplicaChecksum;
  checksumAfter: ReplicaChecksum;
}

function validate(o: LrFindOptions): void {
  if (!(o.startLr > 0) || !(o.endLr > o.startLr)) throw new ConfigError(`--start-lr and --end-lr need 0 < start < end, got ${o.startLr} and ${o.endLr}`);
  if (!Number.isInteger(o.numIt) || o.numIt < 2) throw new ConfigError(`--num-it must be an integer >= 2, got ${o.numIt}`);
  if (o.wds.length === 0 || o.wds.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new ConfigError(`--wd takes numbers >= 0, got ${o.wds.join(',')}`);
}

/**
 * The LR range test with per-iteration validation: for each weight decay, runs exactly numIt iterations of the
 * lr-range schedule through the same training loop as fit, evaluating the next validation batch after every one,
 * then puts back the weights, momentum buffers and BatchNorm statistics it started from (checked by checksum).
 */
export async function lrFind(
  base: Partial<FitConfig> = {},
  find: Partial<LrFindOptions> = {},
  opts: { logger?: Logger; workers?: LaunchedWorkers; plots?: boolean; callbacks?: FitCallback[] } = {},
): Promise<LrFindResult> {
  const o: LrFindOptions = { ...DEFAULT_LR_FIND, ...find };
  validate(o);
  const config = resolveFitConfig({ ...base, schedule: 'constant', lr: o.startLr, wd: o.wds[0] });
  const log = opts.logger ?? createLogger();
  const runDir = runDirectory(config.out, 'lr-find');
  const launched = opts.workers ?? (await launchWorkers(config, log));
  const cluster = new Cluster(launched.workers, randomUUID());
  try {
    const [info] = await cluster.configure(config, launched.ringAddresses);
    const iterationsPerEpoch = Math.floor(info.trainExamples / config.batchSize);
    if (iterationsPerEpoch < 1) throw new ConfigError(`--batch-size ${config.batchSize} exceeds the training split (${info.trainExamples})`);
    const initial = await cluster.getState();
    const checksumBefore = await cluster.verifyReplicas('before lr_find');
    writeFileSync(path.join(runDir, 'lr_find.jsonl'), '');
    log.info(
      { backend: info.backend, workers: cluster.size, startLr: o.startLr, endLr: o.endLr, numIt: o.numIt, wds: o.wds, runDir },
      `lr_find ${config.model} on ${config.data}`,
    );
    const schedule = lrRange({ iterations: o.numIt, startLr: o.startLr, endLr: o.endLr, linear: o.linear, momentum: config.momentum });
    const sweeps: LrFindResult['sweeps'] = [];
    const records: LrFindRecord[] = [];
    let ctx: FitContext | undefined;
    for (const wd of o.wds) {
      await cluster.setState(initial);
      const stopFlag: { reason?: string } = {};
      ctx = {
        config: { ...config, wd }, runDir, cluster, log, totalIterations: o.numIt, iterationsPerEpoch,
        stop: (reason) => { stopFlag.reason ??= reason; },
      };
      const recorder = new LrFindRecorder({ valBatchSize: config.batchSize, stopDiv: o.stopDiv, wd: o.wds.length > 1 ? wd : undefined });
      const r = await trainLoop(
        ctx,
        { totalIterations: o.numIt, iterationsPerEpoch, schedule, evalEveryEpoch: false, checksumEvery: 0 },
        [recorder, new ProgressBar(), ...(opts.callbacks ?? [])],
        stopFlag,
      );
      const suggestion = suggestLr(recorder.records, { skipStart: o.skipStart, skipEnd: o.skipEnd });
      sweeps.push({ wd, iterations: r.iterations, stoppedEarly: r.stoppedEarly, suggestion });
      records.push(...recorder.records);
      if (r.stoppedEarly) log.info({ wd }, `stopped after ${r.iterations} of ${o.numIt} iterations: ${r.stoppedEarly}`);
      if (suggestion) log.info({ wd, noise: +suggestion.noise.toFixed(3) }, suggestion.explanation.lr);
    }
    await cluster.setState(initial);
    const checksumAfter = await cluster.verifyReplicas('after lr_find');
    for (const k of ['weights', 'optimizer', 'buffers'] as const) {
      if (checksumAfter[k] !== checksumBefore[k]) {
        throw new Error(`lr_find did not restore the replica's ${k} (digest ${checksumBefore[k].slice(0, 12)} before, ${checksumAfter[k].slice(0, 12)} after)`);
      }
    }
    const suggestion = sweeps[0].suggestion;
    writeFileSync(
      path.join(runDir, 'summary.json'),
      JSON.stringify({ kind: 'lr_find', ...o, workers: cluster.size, backend: info.backend, suggestion, sweeps, config: { ...config, out: runDir } }, null, 2) + '\n',
    );
    const firstSweep = records.filter((r) => r.wd === undefined || r.wd === o.wds[0]);
    process.stderr.write(lrFindTextChart(firstSweep, { suggestion: suggestion?.lr, skipStart: o.skipStart, skipEnd: o.skipEnd }) + '\n');
    if (opts.plots ?? true) await emit([new PlotsCallback({ skipStart: o.skipStart, skipEnd: o.skipEnd })], 'afterFit', ctx!, undefined);
    if (suggestion) {
      for (const line of Object.values(suggestion.explanation)) log.info(line);
    } else {
      log.warn('too few finite validation points to suggest an lr: raise --num-it or lower --start-lr');
    }
    return { runDir, records, sweeps, suggestion, checksumBefore, checksumAfter };
  } finally {
    await cluster.shutdown('lr_find finished');
    await launched.close();
  }
}
