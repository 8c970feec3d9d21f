import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type tls from 'node:tls';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { fit, RendezvousServer } from '../../src/coordinator/index.js';
import { useTlsFiles } from '../../src/shared/auth/index.js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import { RingServer } from '../../src/worker/allreduce/index.js';
import { exchange, hello } from '../allreduce/rawRingClient.js';
import { quietLogger, tempRunDir } from '../distributed/helpers.js';

function openssl(cwd: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A test CA and one certificate for 127.0.0.1 signed by it (EC P-256, valid a day). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=superconverge test CA',
  ]);
  openssl(dir, ['req', ...ec, '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'node.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'node.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  ]);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'node.pem'), key: path.join(dir, 'node.key') };
}

function join(client: grpc.Client): Promise<grpc.status> {
  return new Promise((resolve) => {
    (
      client as unknown as { Join: (r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void) => void }
    ).Join(
      { workerAddress: '127.0.0.1:1', ringAddress: '127.0.0.1:2', hostname: 'x', requestedRank: -1 },
      { deadline: Date.now() + 3000 },
      (e) => resolve(e ? e.code : grpc.status.OK),
    );
  });
}

test('mutual TLS: a run on 2 workers trains over it; plaintext and certificate-less clients are refused', async (t) => {
  if (spawnSync('openssl', ['version']).status !== 0) return t.skip('openssl is not installed: cannot make a test CA');
  const dir = tempRunDir(t, 'sc-tls-');
  const files = makeCertificates(dir);
  useTlsFiles(files); // this process's servers and clients, and the worker threads it starts
  const s = await fit(
    {
      model: 'mlp',
      data: 'sample',
      backend: 'cpu',
      batchSize: 64,
      iterations: 4,
      augment: false,
      workers: 2,
      spawn: 'thread',
      out: path.join(dir, 'run'),
    },
    { logger: quietLogger(), plots: false },
  );
  assert.equal(s.iterations, 4);

  const rendezvous = await RendezvousServer.listen({
    bindAddress: '127.0.0.1:0',
    worldSize: 1,
    runId: 'tls',
    log: quietLogger(),
  });
  t.after(() => rendezvous.close());
  const Rendezvous = loadProto().superconverge.v1.Rendezvous;
  const plaintext = new Rendezvous(rendezvous.address, grpc.credentials.createInsecure());
  const noClientCert = new Rendezvous(rendezvous.address, grpc.credentials.createSsl(readFileSync(files.ca)));
  t.after(() => {
    plaintext.close();
    noClientCert.close();
  });
  assert.equal(await join(plaintext), grpc.status.UNAVAILABLE);
  assert.equal(await join(noClientCert), grpc.status.UNAVAILABLE);
  assert.deepEqual(rendezvous.joinedSoFar(), []);

  // The ring's data plane is TLS too, and wants a client certificate signed by the run's CA.
  const ring = await RingServer.listen();
  t.after(() => ring.close());
  const greeting = hello({ ringId: 'tls' });
  const withCert = await exchange(ring.address, [greeting], {
    waitMs: 1000,
    tls: { ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key) },
  });
  assert.deepEqual(
    withCert.map((r) => r.kind),
    ['accept'],
    "a client with a certificate of the run's CA is taken",
  );
  const accepted = async (tlsOptions?: tls.ConnectionOptions): Promise<boolean> => {
    const outcome = await exchange(ring.address, [greeting], { waitMs: 1000, tls: tlsOptions }).catch(
      (err: Error) => err,
    );
    return !(outcome instanceof Error) && outcome.some((r) => r.kind === 'accept');
  };
  assert.equal(await accepted(), false, 'plaintext is refused');
  assert.equal(await accepted({ ca: readFileSync(files.ca) }), false, 'a client without a certificate is refused');
});
