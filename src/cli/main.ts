#!/usr/bin/env node
import { envRendezvousRole, fit } from '../coordinator/index.js';
import { createLogger } from '../shared/log/index.js';
import { FIT_HELP, parseFitFlags } from './fitFlags.js';
import { reportError } from './reportError.js';
import { SCHEDULE_HELP, scheduleCommand } from './scheduleCommand.js';
import { runWorker, WORKER_HELP, workerCommand } from './workerCommand.js';

const HELP = `superconverge: super-convergence (1cycle, cyclical momentum, lr_find2) for data-parallel training on tfjs

Commands
  fit        train a model (superconverge fit --help)
  schedule   print a schedule as CSV (superconverge schedule --help)
  worker     serve as a worker of a coordinator on another machine (superconverge worker --help)
`;

/** The CLI: a thin layer over the library. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'fit': {
        const { config, logFormat, help, rendezvous, host } = parseFitFlags(rest);
        if (help) return void process.stdout.write(FIT_HELP), 0;
        if (rendezvous === 'env') {
          const role = await envRendezvousRole(process.env, host);
          if (role.role === 'worker') return await runWorker({ coordinator: role.coordinator, rank: role.rank, host, logFormat });
          await fit({ ...config, listen: role.listen, workers: role.worldSize }, {
            logger: createLogger({ format: logFormat }), launch: { ...role.launch, logFormat },
          });
          return 0;
        }
        await fit(config, { logger: createLogger({ format: logFormat }), launch: { logFormat, localHost: host } });
        return 0;
      }
      case 'worker':
        return await workerCommand(rest);
      case 'schedule':
        scheduleCommand(rest, process.stdout);
        return 0;
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(HELP + '\n' + FIT_HELP + '\n' + SCHEDULE_HELP + '\n' + WORKER_HELP);
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
