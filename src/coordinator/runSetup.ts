import { ConfigError, epochLength, settings, type FitConfig } from '../shared/config/index.js';
import { createLogger, type Logger } from '../shared/log/index.js';
import type { ConfigureReply__Output } from '../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import type { AdapterInfo } from '../shared/gpu/index.js';
import { adaptersOf } from './adaptersOf.js';
import { alignReplicas } from './alignReplicas.js';
import { checkModelName, warnUnusedGpus } from './checkRunInput.js';
import { Cluster } from './Cluster.js';
import { ElasticCluster } from './elastic/index.js';
import { type LaunchedWorkers, type LaunchOptions, launchWorkers } from './launchWorkers.js';
import { runDirectory } from './runDirectory.js';
import { StartInterruptedError, unlessInterrupted } from './StartInterruptedError.js';

export interface RunSetupOptions {
  logger?: Logger;
  /** Workers started elsewhere (remote, or by a test); default: launched from the config. */
  workers?: LaunchedWorkers;
  /** How launchWorkers starts or waits for them (env rendezvous, log format of local workers). */
  launch?: LaunchOptions;
  /** Aborted while the workers start or configure: a StartInterruptedError. */
  signal?: AbortSignal;
  /** An `out` directory that holds a run is refused unless this is set; then that run's outputs are removed first. */
  overwrite?: boolean;
}

/** A run's configured, aligned workers and what they reported; close() ends them. */
export interface RunSetup {
  log: Logger;
  runDir: string;
  cluster: Cluster;
  /** Rank 0's Configure reply: backend, parameter count, layer groups, the training split's size and statistics. */
  info: ConfigureReply__Output;
  /** Each rank's WebGPU adapter (rank order), or undefined when the run is not on webgpu. */
  adapters: AdapterInfo[] | undefined;
  iterationsPerEpoch: number;
  /** Shutdown to every worker (with the run's outcome), then the launched workers are closed. */
  close(outcome: string): Promise<void>;
}

/**
 * The setup fit and lr-find (and the study, through them) share: the deadline variables and the model name checked,
 * the run directory made (`runDir`: resume's own), the workers launched or taken, configured and aligned (replicas
 * identical), and the batch checked against the training split. A failure after the launch shuts the workers down
 * before it goes on. `elastic`: an ElasticCluster (fit --elastic).
 */
export async function setUpRun(
  config: FitConfig,
  kind: 'fit' | 'lr-find',
  opts: RunSetupOptions & { runDir?: string; elastic?: boolean },
): Promise<RunSetup> {
  const log = opts.logger ?? createLogger();
  settings(); // every deadline variable is checked before anything starts
  checkModelName(config.model);
  const runDir = opts.runDir ?? runDirectory(config.out, kind, { overwrite: opts.overwrite });
  const launched = opts.workers ?? (await launchWorkers(config, log, { ...opts.launch, signal: opts.signal }));
  const cluster = opts.elastic
    ? new ElasticCluster(launched.workers, launched.runId, {
        log,
        minWorkers: config.minWorkers,
        membership: launched.membership,
        connect: launched.connect,
      })
    : new Cluster(launched.workers, launched.runId);
  const close = async (outcome: string): Promise<void> => {
    await cluster.shutdown(outcome);
    await launched.close();
  };
  try {
    const replies = await unlessInterrupted(
      opts.signal,
      'configuring the workers',
      cluster.configure(config, launched.ringAddresses),
    );
    const info = replies[0];
    const adapters = adaptersOf(replies);
    warnUnusedGpus(config, info.backend, log);
    await alignReplicas(cluster, config);
    if (config.batchSize > info.trainExamples) {
      throw new ConfigError(
        `--batch-size ${config.batchSize} is larger than the training split (${info.trainExamples} examples)`,
      );
    }
    const iterationsPerEpoch = epochLength(info.trainExamples, config.batchSize, config.dropLast);
    if (opts.signal?.aborted) throw new StartInterruptedError(String(opts.signal.reason), 'configuring the workers');
    return { log, runDir, cluster, info, adapters, iterationsPerEpoch, close };
  } catch (e) {
    await close(`${kind === 'fit' ? 'fit' : 'lr_find'} failed`);
    throw e;
  }
}
