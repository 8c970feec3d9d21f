import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import { watchCoordinator } from '../../src/worker/grpc/watchCoordinator.js';

const RENDEZVOUS = fileURLToPath(new URL('../../src/coordinator/launch/RendezvousServer.js', import.meta.url));
const LOG = fileURLToPath(new URL('../../src/shared/log/index.js', import.meta.url));

/** A coordinator's Rendezvous in a process of its own that, told 'block', blocks its event loop for BLOCK_MS. */
const BLOCK_MS = 2500;
const CHILD = `
const { RendezvousServer } = await import(${JSON.stringify(RENDEZVOUS)});
const { createLogger } = await import(${JSON.stringify(LOG)});
const server = await RendezvousServer.listen({ bindAddress: '127.0.0.1:0', worldSize: 1, runId: 'busy', log: createLogger({ level: 'silent' }) });
process.stdout.write(server.address + '\\n');
process.stdin.on('data', () => { const end = Date.now() + ${BLOCK_MS}; while (Date.now() < end); process.stdout.write('unblocked\\n'); });
`;

test('a coordinator busy for a few seconds (its event loop blocked) is not taken for hung by its workers', async (t) => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const lines: string[] = [];
  const next = (): Promise<string> =>
    new Promise((resolve) => {
      const take = (): void => {
        if (lines.length > 0) resolve(lines.shift()!);
        else
          child.stdout.once('data', (d: Buffer) => {
            lines.push(...d.toString().trim().split('\n'));
            take();
          });
      };
      take();
    });
  const address = await next();
  // The watching worker is a member of the run (else the Ping's answer tells it to go).
  const client = new (loadProto().superconverge.v1.Rendezvous)(address, grpc.credentials.createInsecure());
  await new Promise<void>((resolve, reject) =>
    client.Join(
      { workerAddress: '127.0.0.1:1', ringAddress: '127.0.0.1:2', hostname: 'test', requestedRank: -1 },
      { deadline: Date.now() + 10_000 },
      (err) => {
        client.close();
        if (err) reject(err);
        else resolve();
      },
    ),
  );
  let gone: string | undefined;
  const watch = watchCoordinator(address, { runId: 'busy', workerAddress: '127.0.0.1:1' }, 10_000, (why) => {
    gone = why;
  });
  t.after(() => watch.stop());
  await new Promise((r) => setTimeout(r, 1500)); // some Pings answered first
  child.stdin.write('block\n');
  assert.equal(await next(), 'unblocked');
  await new Promise((r) => setTimeout(r, 1500)); // and some after
  assert.equal(gone, undefined, `a coordinator blocked for ${BLOCK_MS} ms was taken for gone: ${gone}`);
});

test('a worker whose own thread computes back-to-back long steps does not take its (idle, alive) coordinator for hung', async (t) => {
  const { RendezvousServer } = await import('../../src/coordinator/launch/RendezvousServer.js');
  const { createLogger } = await import('../../src/shared/log/index.js');
  const server = await RendezvousServer.listen({
    bindAddress: '127.0.0.1:0',
    worldSize: 1,
    runId: 'steps',
    log: createLogger({ level: 'silent' }),
  });
  t.after(() => server.close());
  const client = new (loadProto().superconverge.v1.Rendezvous)(server.address, grpc.credentials.createInsecure());
  await new Promise<void>((resolve, reject) =>
    client.Join(
      { workerAddress: '127.0.0.1:1', ringAddress: '127.0.0.1:2', hostname: 'test', requestedRank: -1 },
      { deadline: Date.now() + 10_000 },
      (err) => {
        client.close();
        if (err) reject(err);
        else resolve();
      },
    ),
  );
  let gone: string | undefined;
  // 5 s timeout: a Ping each second, hung after 5 s of silence. Steps of 1.2 s with a few ms between them, as a
  // worker computing on its own thread has: a Ping sent between two steps is answered during the next one.
  const watch = watchCoordinator(server.address, { runId: 'steps', workerAddress: '127.0.0.1:1' }, 5_000, (why) => {
    gone = why;
  });
  t.after(() => watch.stop());
  const end = Date.now() + 12_000;
  while (Date.now() < end && gone === undefined) {
    const stepEnd = Date.now() + 1200;
    while (Date.now() < stepEnd);
    await new Promise((r) => setTimeout(r, 3));
  }
  assert.equal(gone, undefined, `a coordinator that answers every Ping was taken for gone: ${gone}`);
});
