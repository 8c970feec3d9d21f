import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, resolveFitConfig, resolveGroupValues, settings, type FitConfig } from '../shared/config/index.js';
import { createLogger, type Logger } from '../shared/log/index.js';
import { writeModelFiles } from '../shared/models/index.js';
import { buildSchedule } from './buildSchedule.js';
import { CheckpointStore, checkpointDir, restoreCheckpoint, resumeConfig, type LoopState } from './checkpoint/index.js';
import { Cluster } from './Cluster.js';
import { describeLayerGroups } from './describeLayerGroups.js';
import { ElasticCluster, type ElasticEvent } from './elastic/index.js';
import { emit } from './emit.js';
import { EpochLogger } from './EpochLogger.js';
import { PlotsCallback, Recorder, TensorBoardWriter, type EpochRecord, type EvalRecord } from '../reporting/index.js';
import type { FitCallback } from './FitCallback.js';
import type { LaunchedWorkers, LaunchOptions } from './launchWorkers.js';
import { ProgressBar } from './ProgressBar.js';
import { RunInterruptedError } from './errors.js';
import { checkOutputDir } from './runDirectory.js';
import { trainLoop } from './trainLoop.js';
import { describeAdapters } from './adaptersOf.js';
import type { AdapterInfo } from '../shared/gpu/index.js';
import { setUpRun } from './runSetup.js';

export interface FitOptions {
  logger?: Logger;
  /** Render plots and report.html at the end (default true). */
  plots?: boolean;
  /** Write TensorBoard event files under this folder. */
  tensorboard?: string;
  /** Extra callbacks, run after the recorder. */
  callbacks?: FitCallback[];
  /** Workers started elsewhere (remote, or by a test); default: launched from the config. */
  workers?: LaunchedWorkers;
  /** How launchWorkers starts or waits for them (env rendezvous, log format of local workers). */
  launch?: LaunchOptions;
  /**
   * Continue the run in this directory from its newest intact checkpoint, exactly where it stopped (mid-cycle), in
   * the same directory. `input` may then change only where it runs (workers, listen, spawn, backend, checkpointing).
   */
  resume?: string;
  /**
   * Aborting it (the CLI does on Ctrl-C and SIGTERM) stops the run after the step in flight, with a checkpoint there:
   * fit then rejects with a RunInterruptedError whose cause is a TrainingInterruptedError.
   */
  signal?: AbortSignal;
  /** An `out` directory that holds a run is refused unless this is set; then that run's outputs are removed first. */
  overwrite?: boolean;
}

export interface FitSummary {
  runDir: string;
  valLoss: number;
  accuracy: number;
  iterations: number;
  epochs: number;
  imagesPerSecond: number;
  workers: number;
  backend: string;
  /** backend webgpu: each rank's adapter (vendor, device, API, whether it is a software adapter). */
  adapters?: AdapterInfo[];
  stoppedEarly?: string;
  config: FitConfig & { dataStats: unknown; parameterCount: number };
  epochRecords: EpochRecord[];
  /** Every evaluation of the whole validation split (epoch ends, and every evalEvery steps). */
  evalRecords: EvalRecord[];
  /** --elastic: the workers lost and joined during the run. */
  elasticEvents?: ElasticEvent[];
}

/**
 * Trains a model with the config's schedule (one-cycle by default) on its workers, and writes the run directory:
 * metrics.jsonl, epochs.csv, summary.json (with the full config) and the model in tfjs format.
 */
export async function fit(input: Partial<FitConfig> = {}, opts: FitOptions = {}): Promise<FitSummary> {
  const logger = opts.logger ?? createLogger();
  settings(); // every deadline variable is checked before anything starts
  const resumeDir = opts.resume === undefined ? undefined : checkResumeDir(opts.resume, input);
  const resumed = resumeDir === undefined ? undefined : new CheckpointStore(checkpointDir(resumeDir)).latest(logger);
  const requested = resolveFitConfig(resumed ? resumeConfig(resumed.checkpoint.config, input, resumeDir!) : input);
  if (opts.tensorboard) checkOutputDir(opts.tensorboard, '--tensorboard');
  const { log, runDir, cluster, info, adapters, iterationsPerEpoch, close } = await setUpRun(requested, 'fit', {
    ...opts,
    logger,
    runDir: resumeDir,
    elastic: requested.elastic,
  });
  let outcome = 'fit failed';
  try {
    // Every group's lr and wd, and where the groups start, as the workers resolved them: saved with the run.
    const config = resolveGroupValues(
      requested,
      info.layerGroups.map((g) => g.layers[0]),
    );
    const totalIterations = config.iterations > 0 ? config.iterations : config.epochs * iterationsPerEpoch;
    const recorder = new Recorder();
    if (resumed) {
      await restoreCheckpoint(cluster, resumed.checkpoint, resumed.file, { totalIterations, iterationsPerEpoch }, log);
      recorder.resume(runDir, resumed.checkpoint.loop.nextIteration, iterationsPerEpoch);
      log.info(
        { checkpoint: resumed.file },
        `resuming at step ${resumed.checkpoint.loop.nextIteration} of ${totalIterations}`,
      );
    }
    const store = new CheckpointStore(checkpointDir(runDir), config.keepCheckpoints);
    const checkpoint = {
      every: config.checkpointEvery,
      save: async (loop: LoopState): Promise<void> => {
        await cluster.syncBuffers(); // every replica's BatchNorm statistics, averaged, are the ones saved
        const { runId: _runId, ...state } = await cluster.getState();
        const file = store.write({
          savedAt: new Date().toISOString(),
          loop,
          config: { ...config, out: runDir },
          totalIterations,
          iterationsPerEpoch,
          state,
        });
        log.debug({ file }, `checkpoint at step ${loop.nextIteration}`);
      },
    };
    log.info(
      {
        backend: info.backend,
        ...(adapters && { adapters }),
        workers: cluster.size,
        parameters: info.parameterCount,
        iterations: totalIterations,
        runDir,
      },
      `fit ${config.model} on ${config.data} (${classesOf(info.dataStatsJson)} classes): ${config.schedule} lr ${config.lr}, batch ${config.batchSize}${adapters ? `; ${info.backend} on ${describeAdapters(adapters)}` : ''}`,
    );
    log.info(
      { layerGroups: info.layerGroups.length, freezeTo: config.freezeTo },
      `layer groups ${describeLayerGroups(info.layerGroups, config)}`,
    );
    const run = { config, runDir, cluster, log, totalIterations, iterationsPerEpoch };
    const callbacks: FitCallback[] = [recorder, new ProgressBar(), new EpochLogger()];
    if (opts.tensorboard) callbacks.push(new TensorBoardWriter(opts.tensorboard));
    if (opts.plots ?? true) callbacks.push(new PlotsCallback());
    callbacks.push(...(opts.callbacks ?? []));
    const result = await trainLoop(
      run,
      {
        totalIterations,
        iterationsPerEpoch,
        schedule: buildSchedule(config, totalIterations),
        evalEveryEpoch: config.evalEveryEpoch,
        evalEvery: config.evalEvery,
        checksumEvery: config.checksumEvery,
        start: resumed?.checkpoint.loop,
        checkpoint,
        stopOnNonFiniteLoss: !config.continueOnNan,
        interrupt: opts.signal,
      },
      callbacks,
    ).catch((e: unknown) => {
      throw new RunInterruptedError(e, runDir, store.files().at(-1));
    });
    await cluster.syncBuffers();
    if (cluster.size > 1) await cluster.verifyReplicas('at the end of the run', { buffers: true });
    const final = result.lastEpoch ?? (await evaluateNow(cluster));
    const modelJson = await writeModelFiles(await cluster.exportModel(), path.join(runDir, 'model'));
    const summary: FitSummary = {
      runDir,
      valLoss: final.valLoss,
      accuracy: final.accuracy,
      iterations: result.iterations,
      epochs: result.iterations / iterationsPerEpoch,
      imagesPerSecond: result.imagesPerSecond,
      workers: cluster.size,
      backend: info.backend,
      ...(adapters && { adapters }),
      stoppedEarly: result.stoppedEarly,
      config: {
        ...config,
        out: runDir,
        dataStats: JSON.parse(info.dataStatsJson || '{}'),
        parameterCount: info.parameterCount,
      },
      epochRecords: recorder.epochs,
      evalRecords: recorder.evals,
      ...(cluster instanceof ElasticCluster && { elasticEvents: cluster.events }),
    };
    // The file lies in its run directory, so it does not name it: no machine's absolute path in a result.
    const { epochRecords: _omit, evalRecords: _omitEvals, runDir: _itsDir, ...toSave } = summary;
    writeFileSync(
      path.join(runDir, 'summary.json'),
      JSON.stringify({ ...toSave, config: { ...toSave.config, out: undefined } }, null, 2) + '\n',
    );
    await emit(callbacks, 'afterFit', result.ctx, result.stoppedEarly);
    log.info(
      {
        valLoss: +final.valLoss.toFixed(4),
        accuracy: +final.accuracy.toFixed(4),
        imagesPerSecond: Math.round(result.imagesPerSecond),
        model: modelJson,
      },
      `done: results in ${runDir}`,
    );
    outcome = 'fit finished';
    return summary;
  } finally {
    await close(outcome);
  }
}

/** The class count the workers found in the training labels (summary.json: config.dataStats.numClasses). */
function classesOf(dataStatsJson: string): number | undefined {
  return (JSON.parse(dataStatsJson || '{}') as { numClasses?: number }).numClasses;
}

/** The run directory `--resume` names, which must hold a run; `--out` may only name the same one. */
function checkResumeDir(resume: string, input: Partial<FitConfig>): string {
  const dir = path.resolve(resume);
  if (!existsSync(dir)) throw new ConfigError(`--resume ${resume}: no such directory`);
  if (!existsSync(checkpointDir(dir)))
    throw new ConfigError(`--resume ${resume}: not a run directory with checkpoints (no ${checkpointDir(dir)})`);
  if (input.out && path.resolve(input.out) !== dir) {
    throw new ConfigError(
      `--resume continues the run in its own directory ${dir}; drop --out ${input.out} (or copy the run there first)`,
    );
  }
  return dir;
}

async function evaluateNow(cluster: Cluster): Promise<{ valLoss: number; accuracy: number }> {
  const v = await cluster.evaluate();
  return { valLoss: v.lossSum / v.count, accuracy: v.correct / v.count };
}
