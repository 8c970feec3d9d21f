import { parseArgs } from 'node:util';
import { lrFind } from '../coordinator/index.js';
import { ConfigError } from '../shared/config/index.js';
import { createLogger } from '../shared/log/index.js';
import { applyCommonFlags, applyLaunchFlags, COMMON_OPTIONS } from './fitFlags.js';
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
  plus fit's model, data and worker flags: --model --data --batch-size --seed --augment --no-augment
  --pad-mode --drop-last --no-shuffle
  --workers --spawn --gpus --listen --world-size --rendezvous --host --backend --out --overwrite --log-format
  --wd-mode --layer-groups --freeze-to
The model, its momentum buffers and BatchNorm statistics are left exactly as they were. Writes lr_find.jsonl,
summary.json (with the suggestion), lr_find.png/.svg and report.html in the run directory.
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  'start-lr': { type: 'string' }, 'end-lr': { type: 'string' }, 'num-it': { type: 'string' }, linear: { type: 'boolean' },
  'no-stop-dv': { type: 'boolean' }, momentum: { type: 'string' }, 'skip-start': { type: 'string' }, 'skip-end': { type: 'string' },
  'no-plots': { type: 'boolean' },
} as const;

export async function lrFindCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: OPTIONS });
  if (values.help) return void process.stdout.write(LR_FIND_HELP), 0;
  const base = applyCommonFlags(values, { wdList: true });
  const { rendezvous, host } = applyLaunchFlags(values, base);
  if (values.momentum !== undefined) base.momentum = parseNumber('--momentum', values.momentum);
  const find = {
    ...(values['start-lr'] !== undefined && { startLr: oneOrList(parseNumberList('--start-lr', values['start-lr'])) }),
    ...(values['end-lr'] !== undefined && { endLr: parseNumber('--end-lr', values['end-lr']) }),
    ...(values['num-it'] !== undefined && { numIt: parseInteger('--num-it', values['num-it'], 2) }),
    ...(values.wd !== undefined && { wds: values.wd.split(',').map((sweep) => oneOrList(parseNumberList('--wd', sweep.replaceAll('/', ',')))) }),
    ...(values['skip-start'] !== undefined && { skipStart: parseInteger('--skip-start', values['skip-start']) }),
    ...(values['skip-end'] !== undefined && { skipEnd: parseInteger('--skip-end', values['skip-end']) }),
    linear: values.linear ?? false,
    stopDiv: !values['no-stop-dv'],
  };
  const format = values['log-format'] ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new ConfigError(`--log-format must be pretty or json, got '${format}'`);
  const logger = createLogger({ format });
  return runWithRendezvous({ rendezvous, host, logFormat: format, config: base }, async (config, launch) => {
    const interrupt = interruptOnSignals('stopping after the step in flight; the model is put back');
    try {
      const started = { beforeFit: () => interrupt.started() };
      const r = await lrFind(config, find, { logger, plots: !values['no-plots'], launch, signal: interrupt.signal, callbacks: [started], overwrite: values.overwrite });
      process.stdout.write(`${r.runDir}\n`);
    } finally {
      interrupt.dispose();
    }
  });
}

function oneOrList(values: number[]): number | number[] {
  return values.length === 1 ? values[0] : values;
}
