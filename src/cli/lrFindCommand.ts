import { parseArgs } from 'node:util';
import { LR_FIND_SETTINGS, type LrFindOptions, lrFind } from '../coordinator/index.js';
import { createLogger } from '../shared/log/index.js';
import { applyCommonFlags, applyLaunchFlags, logFormatOf } from './fitFlags.js';
import { applyFlags, type FlagValues, flagList, helpOf, optionTable, textOf } from './declaredFlags.js';
import { interruptOnSignals } from './interruptOnSignals.js';
import { runWithRendezvous } from './runWithRendezvous.js';
import { parseNumberList } from './parseNumberList.js';

export const LR_FIND_HELP = `superconverge lr-find: the LR range test with per-iteration validation (fastai 0.7's lr_find2)

  superconverge lr-find --start-lr 1e-5 --end-lr 10 --num-it 100 --wd 1e-2 [--linear] [--no-stop-dv]

${helpOf(LR_FIND_SETTINGS).split('\n').slice(1).join('\n')}  plus fit's model, data and worker flags (superconverge fit --help):
${wrapFlags(flagList('lr-find'))}
The model, its momentum buffers and BatchNorm statistics are left exactly as they were. Writes lr_find.jsonl,
summary.json (with the suggestion), lr_find.png/.svg and report.html in the run directory.
`;

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
  const { values } = parseArgs({ args: argv, strict: true, options: optionTable('lr-find', LR_FIND_SETTINGS) }) as {
    values: FlagValues;
  };
  if (values.help) return (void process.stdout.write(LR_FIND_HELP), 0);
  const base = applyCommonFlags(values, 'lr-find');
  const { rendezvous, host } = applyLaunchFlags(values, base);
  const find: Partial<LrFindOptions> = applyFlags(values, LR_FIND_SETTINGS);
  const startLr = textOf(values, 'start-lr');
  if (startLr !== undefined) find.startLr = oneOrList(parseNumberList('--start-lr', startLr));
  const wd = textOf(values, 'wd');
  if (wd !== undefined)
    find.wds = wd.split(',').map((sweep) => oneOrList(parseNumberList('--wd', sweep.replaceAll('/', ','))));
  const format = logFormatOf(values);
  const logger = createLogger({ format });
  return runWithRendezvous({ rendezvous, host, logFormat: format, config: base }, async (config, launch) => {
    const interrupt = interruptOnSignals('stopping after the step in flight; the model is put back');
    try {
      const started = { beforeFit: () => interrupt.started() };
      const r = await lrFind(config, find, {
        logger,
        plots: !values['no-plots'],
        launch,
        signal: interrupt.signal,
        callbacks: [started],
        overwrite: values.overwrite === true,
      });
      process.stdout.write(`${r.runDir}\n`);
    } finally {
      interrupt.dispose();
    }
  });
}

function oneOrList(values: number[]): number | number[] {
  return values.length === 1 ? values[0] : values;
}
