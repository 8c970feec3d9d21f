import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkDeclared,
  ConfigError,
  resolveFitConfig,
  resolveGroupValues,
  type FitConfig,
  type GroupedFitConfig,
} from '../../shared/config/index.js';
import { hyperparameterSchedule, lrRange } from '../../shared/schedule/index.js';
import type { ReplicaChecksum } from '../Cluster.js';
import { describeLayerGroups } from '../describeLayerGroups.js';
import { emit } from '../emit.js';
import type { FitCallback, FitContext } from '../FitCallback.js';
import { lrFindTextChart, PlotsCallback, RECORD_FILES, type LrFindRecord } from '../../reporting/index.js';
import { ProgressBar } from '../ProgressBar.js';
import { TrainingInterruptedError } from '../errors.js';
import { trainLoop } from '../trainLoop.js';
import { type RunSetupOptions, setUpRun } from '../runSetup.js';
import { LrFindRecorder } from './LrFindRecorder.js';
import { DEFAULT_LR_FIND, LR_FIND_SETTINGS, type LrFindOptions } from './lrFindSettings.js';
import { MIN_SUGGESTION_POINTS, suggestLr, type LrFindSuggestion } from './suggestLr.js';
import { describeAdapters } from '../adaptersOf.js';

export interface LrFindResult {
  runDir: string;
  records: LrFindRecord[];
  /** Per weight decay: its suggestion (undefined when the curve was too short), and why a sweep stopped early. */
  sweeps: { wd: number; wds?: number[]; iterations: number; stoppedEarly?: string; suggestion?: LrFindSuggestion }[];
  /** The suggestion of the first sweep. */
  suggestion?: LrFindSuggestion;
  /** Digests of the weights, momentum buffers and BatchNorm statistics before and after: lr_find puts them back. */
  checksumBefore: ReplicaChecksum;
  checksumAfter: ReplicaChecksum;
}

const last = (v: number | number[]): number => (Array.isArray(v) ? v[v.length - 1] : v);
const show = (v: number | number[]): string => (Array.isArray(v) ? v.join('/') : String(v));

/** The declared checks (lrFindSettings.ts: --num-it, --end-lr, ...), then what ties the values together. */
function validate(o: LrFindOptions): void {
  checkDeclared(LR_FIND_SETTINGS, o);
  const starts = [o.startLr].flat();
  if (starts.length === 0 || starts.some((s) => !(s > 0)) || !(o.endLr > last(o.startLr))) {
    throw new ConfigError(
      `--start-lr and --end-lr need 0 < start < end (the last group's start), got ${starts.join(',')} and ${o.endLr}`,
    );
  }
  if (
    o.wds.length === 0 ||
    o.wds.some((w) => [w].flat().length === 0 || [w].flat().some((x) => !(x >= 0) || !Number.isFinite(x)))
  ) {
    throw new ConfigError(`--wd takes numbers >= 0, got ${o.wds.map(show).join(',')}`);
  }
}

/** The sweep's config: its weight decay (one, or one per group) completed against the model's layer groups. */
function sweepConfig(c: FitConfig, wd: number | number[], groups: string[]): GroupedFitConfig {
  return resolveGroupValues(
    resolveFitConfig({ ...c, wd: last(wd), wds: Array.isArray(wd) ? wd : undefined, layerGroups: c.layerGroups }),
    groups,
  );
}

/**
 * The LR range test with per-iteration validation: for each weight decay, runs exactly numIt iterations of the
 * lr-range schedule through the same training loop as fit, evaluating the next validation batch after every one,
 * then puts back the weights, momentum buffers and BatchNorm statistics it started from (checked by checksum).
 */
export async function lrFind(
  base: Partial<FitConfig> = {},
  find: Partial<LrFindOptions> = {},
  opts: RunSetupOptions & {
    plots?: boolean;
    callbacks?: FitCallback[];
    /** Aborting it (Ctrl-C) stops after the step in flight, puts the model back and rejects with a TrainingInterruptedError. */
    signal?: AbortSignal;
  } = {},
): Promise<LrFindResult> {
  const o: LrFindOptions = { ...DEFAULT_LR_FIND, ...find };
  validate(o);
  const config = resolveFitConfig({
    ...base,
    schedule: 'constant',
    lr: last(o.startLr),
    lrs: Array.isArray(o.startLr) ? o.startLr : undefined,
    wd: last(o.wds[0]),
    wds: Array.isArray(o.wds[0]) ? o.wds[0] : undefined,
  });
  const { log, runDir, cluster, info, adapters, iterationsPerEpoch, close } = await setUpRun(config, 'lr-find', opts);
  let outcome = 'lr_find failed';
  try {
    const groupStarts = info.layerGroups.map((g) => g.layers[0]);
    // BatchNorm layers by name: the built-in models' *_bn, tfjs's batch_normalization_N.
    const batchNorm = info.layerGroups.some((g) => g.layers.some((l) => /(^|_)bn\d*$|batch_?norm/i.test(l)));
    const sweepConfigs = o.wds.map((wd) => sweepConfig(config, wd, groupStarts));
    const initial = await cluster.getState();
    const checksumBefore = await cluster.verifyReplicas('before lr_find');
    writeFileSync(path.join(runDir, RECORD_FILES.lrFind), '');
    log.info(
      {
        backend: info.backend,
        ...(adapters && { adapters }),
        workers: cluster.size,
        startLr: o.startLr,
        endLr: o.endLr,
        numIt: o.numIt,
        wds: o.wds,
        runDir,
      },
      `lr_find ${config.model} on ${config.data}${adapters ? `; ${info.backend} on ${describeAdapters(adapters)}` : ''}`,
    );
    log.info(
      { layerGroups: groupStarts.length, freezeTo: config.freezeTo },
      `layer groups ${describeLayerGroups(info.layerGroups, sweepConfigs[0])}`,
    );
    // The last group's lr runs from its start to endLr; every group's is scaled alike (fastai's lr_find2 lr array).
    const lr = lrRange({ iterations: o.numIt, startLr: config.lr, endLr: o.endLr, linear: o.linear });
    const sweeps: LrFindResult['sweeps'] = [];
    const records: LrFindRecord[] = [];
    let ctx: FitContext | undefined;
    for (const [k, sweep] of sweepConfigs.entries()) {
      const wd = sweep.wd;
      const wds = Array.isArray(o.wds[k]) ? sweep.wds : undefined;
      await cluster.setState(initial);
      const run = { config: sweep, runDir, cluster, log, totalIterations: o.numIt, iterationsPerEpoch };
      const schedule = hyperparameterSchedule({
        lr,
        groupLrs: sweep.lrs,
        momentum: sweep.momentum,
        groupWeightDecays: sweep.wds,
      });
      const recorder = new LrFindRecorder({
        valBatchSize: config.batchSize,
        stopDiv: o.stopDiv,
        wd: o.wds.length > 1 ? wd : undefined,
        wds,
      });
      const r = await trainLoop(
        run,
        {
          totalIterations: o.numIt,
          iterationsPerEpoch,
          schedule,
          evalEveryEpoch: false,
          checksumEvery: 0,
          interrupt: opts.signal,
        },
        [recorder, new ProgressBar(), ...(opts.callbacks ?? [])],
      ).catch(async (e: unknown) => {
        if (e instanceof TrainingInterruptedError) await cluster.setState(initial); // the model as it was, even so
        throw e;
      });
      ctx = r.ctx;
      const suggestion = suggestLr(recorder.records, { skipStart: o.skipStart, skipEnd: o.skipEnd, batchNorm });
      sweeps.push({ wd, ...(wds && { wds }), iterations: r.iterations, stoppedEarly: r.stoppedEarly, suggestion });
      records.push(...recorder.records);
      if (r.stoppedEarly) log.info({ wd }, `stopped after ${r.iterations} of ${o.numIt} iterations: ${r.stoppedEarly}`);
      if (suggestion) log.info({ wd, noise: +suggestion.noise.toFixed(3) }, suggestion.explanation.lr);
    }
    await cluster.setState(initial);
    const checksumAfter = await cluster.verifyReplicas('after lr_find', { buffers: true });
    for (const k of ['weights', 'optimizer', 'buffers'] as const) {
      if (checksumAfter[k] !== checksumBefore[k]) {
        throw new Error(
          `lr_find did not restore the replica's ${k} (digest ${checksumBefore[k].slice(0, 12)} before, ${checksumAfter[k].slice(0, 12)} after)`,
        );
      }
    }
    const suggestion = sweeps[0].suggestion;
    writeFileSync(
      path.join(runDir, 'summary.json'),
      JSON.stringify(
        {
          kind: 'lr_find',
          ...o,
          workers: cluster.size,
          backend: info.backend,
          ...(adapters && { adapters }),
          suggestion,
          sweeps,
          config: { ...sweepConfigs[0], out: undefined },
        },
        null,
        2,
      ) + '\n',
    );
    const firstSweep = records.filter((r) => r.wd === undefined || r.wd === sweeps[0].wd);
    process.stderr.write(
      lrFindTextChart(firstSweep, { suggestion: suggestion?.lr, skipStart: o.skipStart, skipEnd: o.skipEnd }) + '\n',
    );
    if (opts.plots ?? true)
      await emit([new PlotsCallback({ skipStart: o.skipStart, skipEnd: o.skipEnd })], 'afterFit', ctx!, undefined);
    if (suggestion) {
      for (const line of Object.values(suggestion.explanation)) log.info(line);
    } else {
      log.warn(
        `fewer than ${MIN_SUGGESTION_POINTS} finite points (after --skip-start and --skip-end) to suggest an lr from: no recommendation; raise --num-it, or lower --start-lr if the loss diverged early`,
      );
    }
    outcome = 'lr_find finished';
    return { runDir, records, sweeps, suggestion, checksumBefore, checksumAfter };
  } finally {
    await close(outcome);
  }
}
