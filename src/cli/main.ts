#!/usr/bin/env node
import { fit } from '../coordinator/index.js';
import { settings } from '../shared/config/index.js';
import { createLogger } from '../shared/log/index.js';
import { FIT_HELP, parseFitFlags } from './fitFlags.js';
import { interruptOnSignals } from './interruptOnSignals.js';
import { PLOT_HELP, plotCommand } from './plotCommand.js';
import { LR_FIND_HELP, lrFindCommand } from './lrFindCommand.js';
import { reportError } from './reportError.js';
import { SCHEDULE_HELP, scheduleCommand } from './scheduleCommand.js';
import { runWithRendezvous } from './runWithRendezvous.js';
import { WORKER_HELP, workerCommand } from './workerCommand.js';

const HELP = `superconverge: super-convergence (1cycle, cyclical momentum, lr_find2) for data-parallel training on tfjs

Commands
  fit        train a model (superconverge fit --help)
  lr-find    LR range test with per-iteration validation (superconverge lr-find --help)
  schedule   print a schedule as CSV (superconverge schedule --help)
  plot       re-render a run's plots and report.html (superconverge plot --help)
  worker     serve as a worker of a coordinator on another machine (superconverge worker --help)
`;

/** The CLI: a thin layer over the library. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Every deadline variable is checked before anything starts, whether or not this run will use gRPC.
    if (command === 'fit' || command === 'lr-find' || command === 'worker') settings();
    switch (command) {
      case 'fit': {
        const { config, logFormat, help, rendezvous, host, tensorboard, plots, resume, overwrite } =
          parseFitFlags(rest);
        if (help) return (void process.stdout.write(FIT_HELP), 0);
        const logger = createLogger({ format: logFormat });
        return await runWithRendezvous({ rendezvous, host, logFormat, config }, async (c, launch) => {
          const interrupt = interruptOnSignals('stopping after the step in flight, with a checkpoint');
          try {
            const started = { beforeFit: () => interrupt.started() };
            await fit(c, {
              logger,
              launch,
              tensorboard,
              plots,
              resume,
              overwrite,
              signal: interrupt.signal,
              callbacks: [started],
            });
          } finally {
            interrupt.dispose();
          }
        });
      }
      case 'plot':
        await plotCommand(rest, process.stdout);
        return 0;
      case 'lr-find':
        return await lrFindCommand(rest);
      case 'worker':
        return await workerCommand(rest);
      case 'schedule':
        scheduleCommand(rest, process.stdout);
        return 0;
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(
          HELP + '\n' + FIT_HELP + '\n' + LR_FIND_HELP + '\n' + SCHEDULE_HELP + '\n' + PLOT_HELP + '\n' + WORKER_HELP,
        );
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`superconverge: unknown command '${command}'\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    return reportError(e);
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
