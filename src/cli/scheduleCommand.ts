import { parseArgs } from 'node:util';
import { ConfigError } from '../shared/config/index.js';
import { lrRange, oneCycle, scheduleToCsv } from '../shared/schedule/index.js';
import { parseOneCycle } from './oneCycleFlag.js';
import { parseInteger, parseNumber } from './parseNumberList.js';

export const SCHEDULE_HELP = `superconverge schedule: print a schedule as CSV (iteration,lr,momentum)

  superconverge schedule --policy one-cycle --lr L --iterations N --one-cycle DIV,PCT[,MAX_MOM,MIN_MOM]
  superconverge schedule --policy lr-range --start-lr A --end-lr B --iterations N [--linear]
`;

/** Prints the schedule's values, one row per iteration, full precision. */
export function scheduleCommand(argv: string[], out: NodeJS.WritableStream): void {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      policy: { type: 'string' },
      lr: { type: 'string' },
      iterations: { type: 'string' },
      'one-cycle': { type: 'string' },
      'start-lr': { type: 'string' },
      'end-lr': { type: 'string' },
      linear: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void out.write(SCHEDULE_HELP);
  const need = (flag: keyof typeof values): string => {
    const v = values[flag];
    if (typeof v !== 'string') throw new ConfigError(`schedule --policy ${values.policy} needs --${flag}`);
    return v;
  };
  const iterations = parseInteger('--iterations', need('iterations'), 1);
  if (iterations < 1) throw new ConfigError('--iterations must be at least 1');
  if (values.policy === 'one-cycle') {
    const o = parseOneCycle(need('one-cycle'));
    out.write(scheduleToCsv(oneCycle({ iterations, maxLr: parseNumber('--lr', need('lr')), ...o }), iterations));
  } else if (values.policy === 'lr-range') {
    const s = lrRange({
      iterations,
      startLr: parseNumber('--start-lr', need('start-lr')),
      endLr: parseNumber('--end-lr', need('end-lr')),
      linear: values.linear ?? false,
    });
    out.write(scheduleToCsv(s, iterations));
  } else {
    throw new ConfigError(`--policy must be one-cycle or lr-range, got '${values.policy ?? ''}'`);
  }
}
