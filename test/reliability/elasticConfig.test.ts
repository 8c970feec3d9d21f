import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIT_HELP, parseFitFlags } from '../../src/cli/fitFlags.js';
import { resumeConfig } from '../../src/coordinator/index.js';
import { ConfigError, resolveFitConfig, type FitConfig } from '../../src/shared/config/index.js';

test('--elastic and --min-workers: parsed, validated with messages naming the flag, off by default, documented', () => {
  assert.equal(resolveFitConfig({}).elastic, false);
  const { config } = parseFitFlags(['--elastic', '--min-workers', '2', '--workers', '3']);
  assert.deepEqual([config.elastic, config.minWorkers], [true, 2]);
  assert.throws(() => parseFitFlags(['--min-workers', '2']), { message: '--min-workers goes with --elastic' });
  assert.throws(
    () => resolveFitConfig({ elastic: true }),
    (e: Error) => e instanceof ConfigError && /--elastic needs at least 2 workers .*got 1/.test(e.message),
  );
  assert.throws(() => resolveFitConfig({ elastic: true, workers: 2, minWorkers: 3 }), {
    message: '--min-workers 3 exceeds the 2 workers of the run',
  });
  assert.throws(() => resolveFitConfig({ elastic: true, workers: 2, minWorkers: 0 }), {
    message: 'minWorkers (--min-workers) must be an integer >= 1, got 0',
  });
  assert.match(FIT_HELP, /--elastic {2,}on a dead or hung worker, go on with the others/);
  // A resumed run is elastic only when told again.
  const saved = resolveFitConfig({ elastic: true, workers: 2 });
  assert.equal(resumeConfig(saved, {}, '/tmp/run').elastic, false);
  assert.equal(resumeConfig(saved, { elastic: true }, '/tmp/run').elastic, true);
});

test('a checkpoint from before dropLast and padMode resumes as its run was: last partial batch dropped, zero padding', () => {
  const { dropLast: _d, padMode: _p, ...old } = resolveFitConfig({});
  const resumed = resumeConfig(old as FitConfig, {}, '/tmp/run');
  assert.equal(resumed.dropLast, true);
  assert.equal(resumed.padMode, 'zeros');
  assert.equal(
    resumeConfig(old as FitConfig, { dropLast: true }, '/tmp/run').dropLast,
    true,
    '--drop-last agrees with it',
  );
  assert.throws(
    () => resumeConfig(resolveFitConfig({}), { dropLast: true }, '/tmp/run'),
    /its own dropLast \(false\), got true/,
  );
});
