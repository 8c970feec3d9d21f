import { parseArgs } from 'node:util';
import { lrFind } from '../coordinator/index.js';
import { createLogger } from '../shared/log/index.js';
import { applyCommonFlags, applyLaunchFlags, logFormatOf } from './fitFlags.js';
import { type FlagValues, flagList, optionTable, textOf } from './declaredFlags.js';
import { interruptOnSignals } from './interruptOnSignals.js';
import { runWithRendezvous } from './runWithRendezvous.js';
import { parseInteger, parseNumber, parseNumberList } from './parseNumberList.js';

export const LR_FIND_HELP = `superconverge lr-find: the LR range test with per-iteration validation (fastai 0.7's lr_find2)

  superconverge lr-find --start-lr 1e-5 --end-lr 10 --num-it 100 --wd 1e-2 [--linear] [--no-stop-dv]

  --start-lr A --end-lr B    lr range (default 1e-5 .. 10), exponential unless --linear; --start-lr A1,A2,...
                             gives each layer group its start: all are multiplied by the same factor each
                             iteration, the last group's reaching B (fastai's lr_find2 with an lr array)
  --num-it N                 iterations (default 100), crossing epoch boundaries as needed; after each one the
                             next validation batch is evaluated (sharded across the workers)
  --wd W[,W2,...]            weight decay (default 0, as fastai 0.7's lr_find2(wds=None)); several values run
                             one sweep each from the same starting weights;
                             a sweep's value may list one per layer group joined by '/': --wd 1e-4/1e-3/1e-2,0
  --no-stop-dv               do not stop when the smoothed loss exceeds 4x its best (or is not finite)
  --momentum M               constant momentum during the test (default 0.9)
  --skip-start N --skip-end N  points left out of the plot and the suggestion (default 10 and 5)
  plus fit's model, data and worker flags (superconverge fit --help):
${wrapFlags(flagList('lr-find'))}
The model, its momentum buffers and BatchNorm statistics are left exactly as they were. Writes lr_find.jsonl,
summary.json (with the suggestion), lr_find.png/.svg and report.html in the run directory.
`;

const OPTIONS = {
  ...optionTable('lr-find'),
  'start-lr': { type: 'string' }, 'end-lr': { type: 'string' }, 'num-it': { type: 'string' }, linear: { type: 'boolean' },
  'no-stop-dv': { type: 'boolean' }, momentum: { type: 'string' }, 'skip-start': { type: 'string' }, 'skip-end': { type: 'string' },
  wd: { type: 'string' },
} as const;

/** Flags wrapped into indented lines of at most 116 characters. */
function wrapFlags(flags: string[]): string {
  const lines = [' '];
  for (const f of flags) {
    if (lines[lines.length - 1].length + f.length + 1 > 116) lines.push(' ');
    lines[lines.length - 1] += ` ${f}`;
  }
  return lines.join('\n');
}

export async function lrFindCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: OPTIONS }) as { values: FlagValues };
  if (values.help) return void process.stdout.write(LR_FIND_HELP), 0;
  const base = applyCommonFlags(values, 'lr-find');
  const { rendezvous, host } = applyLaunchFlags(values, base);
  const text = (flag: string): string | undefined => textOf(values, flag);
  const momentum = text('momentum');
  if (momentum !== undefined) base.momentum = parseNumber('--momentum', momentum);
  const [startLr, endLr, numIt, wd, skipStart, skipEnd] = ['start-lr', 'end-lr', 'num-it', 'wd', 'skip-start', 'skip-end'].map(text);
  const find = {
    ...(startLr !== undefined && { startLr: oneOrList(parseNumberList('--start-lr', startLr)) }),
    ...(endLr !== undefined && { endLr: parseNumber('--end-lr', endLr) }),
    ...(numIt !== undefined && { numIt: parseInteger('--num-it', numIt, 2) }),
    ...(wd !== undefined && { wds: wd.split(',').map((sweep) => oneOrList(parseNumberList('--wd', sweep.replaceAll('/', ',')))) }),
    ...(skipStart !== undefined && { skipStart: parseInteger('--skip-start', skipStart) }),
    ...(skipEnd !== undefined && { skipEnd: parseInteger('--skip-end', skipEnd) }),
    linear: values.linear === true,
    stopDiv: !values['no-stop-dv'],
  };
  const format = logFormatOf(values);
  const logger = createLogger({ format });
  return runWithRendezvous({ rendezvous, host, logFormat: format, config: base }, async (config, launch) => {
    const interrupt = interruptOnSignals('stopping after the step in flight; the model is put back');
    try {
      const started = { beforeFit: () => interrupt.started() };
      const r = await lrFind(config, find, { logger, plots: !values['no-plots'], launch, signal: interrupt.signal, callbacks: [started], overwrite: values.overwrite === true });
      process.stdout.write(`${r.runDir}\n`);
    } finally {
      interrupt.dispose();
    }
  });
}

function oneOrList(values: number[]): number | number[] {
  return values.length === 1 ? values[0] : values;
}
