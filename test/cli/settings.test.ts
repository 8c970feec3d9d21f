import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { flagTableMarkdown, optionTable, replaceFlagTable } from '../../src/cli/declaredFlags.js';
import { FIT_HELP, parseFitFlags } from '../../src/cli/fitFlags.js';
import { LR_FIND_HELP } from '../../src/cli/lrFindCommand.js';
import { resumeConfig } from '../../src/coordinator/checkpoint/index.js';
import { DEFAULT_LR_FIND, LR_FIND_SETTINGS } from '../../src/coordinator/index.js';
import {
  BACKEND_NAMES,
  ConfigError,
  DEFAULT_FIT_CONFIG,
  ENV_SETTINGS,
  FIT_SETTINGS,
  type FitConfig,
  MAY_CHANGE_ON_RESUME,
  type OneCycleParams,
  readSettings,
  resolveFitConfig,
  settingLabel,
  settingVariable,
} from '../../src/shared/config/index.js';

/** True when A and B are the same type (optional and readonly modifiers included). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test("the README's flag table is the one the declarations give (npm run gen:readme-flags rewrites it)", () => {
  assert.equal(
    replaceFlagTable(README),
    README,
    'README.md disagrees with src/shared/config/fitSettings.ts: run npm run gen:readme-flags',
  );
  const rows = flagTableMarkdown().trim().split('\n').slice(2);
  assert.equal(rows.length, FIT_SETTINGS.length + LR_FIND_SETTINGS.length);
  assert.match(
    flagTableMarkdown(),
    /^\| `--batch-size B` \| `batchSize` \| `128` \| fit, lr-find \| {2}\| global batch/m,
  );
});

test("the README's deadline table lists every environment setting with its default", () => {
  const rows = [...README.matchAll(/^\| `(SUPERCONVERGE_[A-Z_]+)` \| (\d+) \| (.*) \|$/gm)].map((m) => [
    m[1],
    Number(m[2]),
    m[3],
  ]);
  const declared = Object.entries(ENV_SETTINGS).map(([key, d]) => [
    settingVariable(key as keyof typeof ENV_SETTINGS),
    d.default,
    d.covers,
  ]);
  assert.deepEqual(rows, declared);
  assert.equal(readSettings({}).stepDeadlineMs, ENV_SETTINGS.stepDeadlineMs.default);
});

test('every declared flag is in the option table and --help of its commands, once', () => {
  for (const s of FIT_SETTINGS) {
    assert.ok(optionTable('fit')[s.flag], s.flag);
    assert.equal(optionTable('lr-find')[s.flag] !== undefined, !s.fitOnly, s.flag);
    const inHelp = FIT_HELP.match(new RegExp(`^ {2}(?:--[a-z-]+ [^ ]+ )*--${s.flag}(?= |$)`, 'gm')) ?? [];
    assert.equal(inHelp.length, 1, `--${s.flag} in fit --help`);
    if (!s.fitOnly)
      assert.match(LR_FIND_HELP.slice(LR_FIND_HELP.indexOf("plus fit's")), new RegExp(`--${s.flag}(?= |$)`, 'm'));
  }
});

test('the defaults are the declarations: an empty config resolves to them, and --help states them', () => {
  const resolved = resolveFitConfig({});
  for (const s of FIT_SETTINGS) {
    if (s.key === undefined || s.default === undefined) continue;
    assert.deepEqual(resolved[s.key], s.default, s.key);
  }
  assert.equal(DEFAULT_FIT_CONFIG.batchSize, 128);
  assert.match(FIT_HELP, /--batch-size B {13}global batch over all workers \(default 128\)/);
  assert.match(FIT_HELP, /--wd W \| W1,W2,\.\.\. {9}weight decay, one per layer group or one for all \(default 1e-4\)/);
});

test('each count flag is refused below its least value, by the CLI and by resolveFitConfig, naming the flag', () => {
  for (const s of FIT_SETTINGS) {
    if (s.check.kind !== 'count' || s.key === undefined) continue;
    const {
      key,
      check: { min },
    } = { key: s.key, check: s.check };
    const below = String(min - 1);
    const extra = s.flag === 'min-workers' ? ['--elastic'] : [];
    assert.throws(() => parseFitFlags([`--${s.flag}=${below}`, ...extra]), {
      name: 'ConfigError',
      message: `--${s.flag} takes a whole number from ${min} to 2147483647, got '${below}'`,
    });
    if (min - 1 === s.default) continue; // --iterations: 0, its default, means "from --epochs"
    assert.throws(
      () => resolveFitConfig({ [key]: min - 1 } as Partial<FitConfig>),
      (e: unknown) =>
        e instanceof ConfigError && e.message.startsWith(`${settingLabel(s)} must be an integer >= ${min}`),
      key,
    );
  }
});

test('each enum flag is refused outside its values, listing them', () => {
  for (const s of FIT_SETTINGS) {
    if (s.check.kind !== 'enum' || s.key === undefined) continue;
    const { config } = parseFitFlags([`--${s.flag}`, 'bogus']);
    assert.throws(() => resolveFitConfig(config), {
      message: new RegExp(`must be one of ${s.check.values.join(', ')}, got 'bogus'`),
    });
  }
});

test('--resume may change exactly the settings declared so, and its message lists them', () => {
  const saved = resolveFitConfig({});
  const changed = (k: keyof FitConfig): unknown =>
    typeof saved[k] === 'boolean'
      ? !saved[k]
      : k === 'gpus'
        ? [0]
        : k === 'listen'
          ? 'h:1'
          : k === 'backend' || k === 'spawn'
            ? 'cpu'
            : 7;
  for (const s of FIT_SETTINGS) {
    if (s.key === undefined || s.key === 'out') continue;
    const given = { [s.key]: changed(s.key) } as Partial<FitConfig>;
    if (s.mayChangeOnResume) {
      assert.deepEqual(resumeConfig(saved, given, 'run')[s.key], given[s.key], s.key);
    } else {
      assert.throws(() => resumeConfig(saved, given, 'run'), {
        message: new RegExp(
          `continues the run with its own ${s.key} .*only ${MAY_CHANGE_ON_RESUME.join(', ')} may change`,
        ),
      });
    }
  }
  assert.deepEqual(MAY_CHANGE_ON_RESUME, [
    'workers',
    'spawn',
    'gpus',
    'listen',
    'backend',
    'checksumEvery',
    'checkpointEvery',
    'keepCheckpoints',
    'continueOnNan',
    'elastic',
    'minWorkers',
  ]);
});

test("lr-find's own flags: its option table, --help and defaults come from their declarations", async () => {
  assert.deepEqual(DEFAULT_LR_FIND, {
    startLr: 1e-5,
    endLr: 10,
    linear: false,
    numIt: 100,
    wds: [0],
    stopDiv: true,
    skipStart: 10,
    skipEnd: 5,
  });
  for (const s of LR_FIND_SETTINGS) {
    assert.ok(optionTable('lr-find', LR_FIND_SETTINGS)[s.flag], s.flag);
    assert.match(
      LR_FIND_HELP.slice(0, LR_FIND_HELP.indexOf("plus fit's")),
      new RegExp(`^ {2}(?:--[a-z-]+ [^ ]+ )*--${s.flag}(?= |$)`, 'm'),
    );
  }
  assert.match(
    LR_FIND_HELP,
    /--skip-start N --skip-end N {2}points left out of the plot and the suggestion \(default 10 and 5\)/,
  );
  const { lrFindCommand } = await import('../../src/cli/lrFindCommand.js');
  await assert.rejects(lrFindCommand(['--num-it', '1']), {
    name: 'ConfigError',
    message: "--num-it takes a whole number from 2 to 2147483647, got '1'",
  });
});

test("the worker's --help shows the flags it shares with fit in fit's words", async () => {
  const { WORKER_HELP } = await import('../../src/cli/workerCommand.js');
  for (const line of FIT_HELP.split('\n').filter((l) => /^ {2}--(host|token-file|tls-cert|log-format) /.test(l)))
    assert.ok(WORKER_HELP.includes(line), line);
  assert.match(WORKER_HELP, /^ {2}--join HOST:PORT {11}the coordinator/m);
});

test("FitConfig's type is derived from the declarations: each key's type follows its check, a key that may be absent is optional", () => {
  // Compile-time: this array type-checks only while each key has the type its declaration names.
  const derived: true[] = [
    true satisfies Equal<FitConfig['schedule'], 'one-cycle' | 'constant' | 'step'>,
    true satisfies Equal<FitConfig['backend'], (typeof BACKEND_NAMES)[number]>,
    true satisfies Equal<FitConfig['batchSize'], number>,
    true satisfies Equal<FitConfig['momentum'], number>,
    true satisfies Equal<FitConfig['augment'], boolean>,
    true satisfies Equal<FitConfig['data'], string>,
    true satisfies Equal<FitConfig['oneCycle'], OneCycleParams>,
    true satisfies Equal<Pick<FitConfig, 'lr' | 'gpus'>, { lr: number; gpus: number[] }>,
    true satisfies Equal<Pick<FitConfig, 'layerGroups' | 'lrs'>, { layerGroups?: string[]; lrs?: number[] }>,
  ];
  assert.equal(derived.length, 9);
  // Run time: the config's keys are the declared ones and the three no flag sets.
  const declared = new Set(FIT_SETTINGS.flatMap((s) => (s.key ? [s.key] : [])));
  assert.deepEqual(Object.keys(resolveFitConfig({})).sort(), [...declared, 'lrs', 'wds', 'evalEveryEpoch'].sort());
});
