import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { RendezvousServer } from '../../src/coordinator/index.js';
import { requireTokenToBind, TOKEN_METADATA_KEY, tokenMatches } from '../../src/shared/auth/index.js';
import { loadProto } from '../../src/shared/proto/loadProto.js';
import { encodeChunkHeader } from '../../src/worker/allreduce/ringFrames.js';
import { WorkerNode } from '../../src/worker/grpc/index.js';
import { chunk, exchange, hello } from '../allreduce/rawRingClient.js';
import { mlpStep, quietLogger } from '../distributed/helpers.js';

const TOKEN = 'security-test-token-5f1c2e';
// This file's servers and clients (each test file runs in its own process) all use the token.
process.env.SUPERCONVERGE_TOKEN = TOKEN;

type Callback = (err: grpc.ServiceError | null, reply?: unknown) => void;
type RawClient = grpc.Client &
  Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void> & {
    StepStream(md: grpc.Metadata, opts: grpc.CallOptions): unknown;
  };

function metadata(token?: string): grpc.Metadata {
  const md = new grpc.Metadata();
  if (token !== undefined) md.set(TOKEN_METADATA_KEY, token);
  return md;
}

/** One call from a raw client (no interceptors): resolves with the status code and details, or the reply. */
function call(
  client: RawClient,
  method: string,
  req: unknown,
  token?: string,
): Promise<{ code: grpc.status; details: string; reply?: unknown }> {
  return new Promise((resolve) => {
    client[method](req, metadata(token), { deadline: Date.now() + 20_000 }, (err, reply) => {
      resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '', reply });
    });
  });
}

const STEP = mlpStep(0, 'sec', 1e-4);

test('Worker calls without the token or with a forged one are refused; invalid Steps get INVALID_ARGUMENT and leave the replica untouched', async (t) => {
  const node = await WorkerNode.start({ host: '127.0.0.1', log: quietLogger() });
  const Worker = loadProto().superconverge.v1.Worker;
  const client = new Worker(node.workerAddress, grpc.credentials.createInsecure()) as unknown as RawClient;
  t.after(async () => {
    client.close();
    await node.close('test over');
  });

  for (const token of [undefined, 'forged-token-of-some-length', TOKEN.slice(0, -1), TOKEN + 'x']) {
    const r = await call(client, 'Checksum', { runId: 'sec' }, token);
    assert.equal(r.code, grpc.status.UNAUTHENTICATED, `token ${String(token)}`);
    assert.match(r.details, token === undefined ? /carries no token/ : /carries a wrong token/);
  }
  const configJson = JSON.stringify({ model: 'mlp', data: 'sample', backend: 'cpu', batchSize: 32, augment: false });
  assert.equal(
    (await call(client, 'Configure', { runId: 'sec', rank: 0, worldSize: 1, configJson, ringAddresses: [] }, TOKEN))
      .code,
    grpc.status.OK,
  );
  const digest = async () => (await call(client, 'Checksum', { runId: 'sec' }, TOKEN)).reply;
  const before = await digest();

  const invalid: [object, RegExp][] = [
    [{ groupLrs: [Number.NaN, 0.1] }, /groupLrs\[0\] must be a finite number/],
    [{ groupLrs: [0.1, Number.POSITIVE_INFINITY] }, /groupLrs\[1\] must be a finite number/],
    [{ momentum: 1.5 }, /momentum must be a finite number in \[0, 1\)/],
    [{ groupWeightDecays: [0, -1] }, /groupWeightDecays\[1\] must be/],
    [{ groupLrs: [0.1, 0.1, 0.1, 0.1, 0.1] }, /groupLrs lists 5 values; the model has 2 layer groups/],
    [{ groupLrs: [] }, /groupLrs lists 0 values; the model has 2 layer groups/],
    [{ groupWeightDecays: [Number.NaN, 0] }, /groupWeightDecays\[0\] must be a finite number/],
  ];
  for (const [change, message] of invalid) {
    const r = await call(client, 'Step', { ...STEP, ...change }, TOKEN);
    assert.equal(r.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(change));
    assert.match(r.details, message);
  }
  assert.deepEqual(await digest(), before, 'refused Steps did not touch the replica');
  assert.equal((await call(client, 'Step', STEP, TOKEN)).code, grpc.status.OK);
  const replayed = await call(client, 'Step', { ...STEP, step: 7 }, TOKEN);
  assert.equal(replayed.code, grpc.status.INVALID_ARGUMENT);
  assert.match(replayed.details, /this worker expects step 1 next/);
  const shortState = await call(
    client,
    'SetState',
    { runId: 'sec', weights: Buffer.alloc(8), momentum: Buffer.alloc(8), buffers: Buffer.alloc(0) },
    TOKEN,
  );
  assert.equal(shortState.code, grpc.status.INVALID_ARGUMENT);

  // Bytes that are not a StepRequest: refused, and the worker goes on serving. (A client that sends raw bytes on
  // Step and on StepStream.)
  const rawMethod = (name: string, streams: boolean) => ({
    path: `/superconverge.v1.Worker/${name}`,
    requestStream: streams,
    responseStream: streams,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  });
  const Raw = grpc.makeGenericClientConstructor(
    { Step: rawMethod('Step', false), StepStream: rawMethod('StepStream', true) },
    'RawWorker',
  );
  const raw = new Raw(node.workerAddress, grpc.credentials.createInsecure()) as unknown as RawClient;
  t.after(() => raw.close());
  const garbage = await call(raw, 'Step', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]), TOKEN);
  assert.notEqual(garbage.code, grpc.status.OK);
  assert.equal(
    (await call(client, 'Step', { ...STEP, step: 1 }, TOKEN)).code,
    grpc.status.OK,
    'still serving after garbage',
  );

  // StepStream (the coordinator's steps): the token is checked when the stream opens; on it, an invalid step ends
  // the stream with INVALID_ARGUMENT (the steps before it answered, none after it run) and garbage ends it too.
  const steps = (reqs: (object | Buffer)[], token?: string, via: RawClient = client) =>
    new Promise<{ replies: unknown[]; code: grpc.status; details: string }>((resolve) => {
      const s = via.StepStream(metadata(token), {
        deadline: Date.now() + 20_000,
      }) as unknown as grpc.ClientDuplexStream<object | Buffer, unknown>;
      const replies: unknown[] = [];
      s.on('data', (r) => replies.push(r));
      s.on('error', () => undefined); // its status follows
      s.on('status', (st: grpc.StatusObject) => resolve({ replies, code: st.code, details: st.details }));
      for (const r of reqs) s.write(r);
      s.end();
    });
  const beforeStreams = await digest();
  for (const token of [undefined, 'forged-token-of-some-length']) {
    const r = await steps([{ ...STEP, step: 2 }], token);
    assert.equal(r.code, grpc.status.UNAUTHENTICATED, `StepStream, token ${String(token)}`);
    assert.deepEqual(r.replies, []);
  }
  assert.deepEqual(await digest(), beforeStreams, 'the refused streams ran nothing');
  // A valid step 3 sent behind the invalid one is not run: the worker still expects step 3 afterwards (below).
  const mixed = await steps(
    [
      { ...STEP, step: 2 },
      { ...STEP, step: 3, momentum: 1.5 },
      { ...STEP, step: 3 },
    ],
    TOKEN,
  );
  assert.equal(mixed.code, grpc.status.INVALID_ARGUMENT);
  assert.match(mixed.details, /momentum must be a finite number in \[0, 1\)/);
  assert.deepEqual(
    mixed.replies.map((r) => (r as { step: number }).step),
    [2],
    'step 2 answered; the invalid step 3 ended the stream',
  );
  const garbageStream = await steps([Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12])], TOKEN, raw);
  assert.notEqual(garbageStream.code, grpc.status.OK);
  assert.deepEqual(
    (await steps([{ ...STEP, step: 3 }], TOKEN)).replies.length,
    1,
    'still serving after garbage, and step 3 is next: the one queued behind the invalid step did not run',
  );

  // The ring's TCP data plane: a connection without the token, or with a forged one, is refused at its hello,
  // before any chunk is read; with the token, an oversized chunk is refused from its header, a truncated one dropped.
  const ringHello = (token: string): Buffer => hello({ ringId: 'sec', fromRank: 0, token });
  const frame = chunk({ op: 0, phase: 0, round: 0, offset: 0, length: 1 }, Buffer.alloc(4));
  for (const [token, why] of [
    ['', /carries no token/],
    ['forged-token-of-some-length', /carries a wrong token/],
    [TOKEN.slice(0, -1), /carries a wrong token/],
  ] as const) {
    const replies = await exchange(node.ringAddress, [ringHello(token), frame]);
    assert.deepEqual(
      replies.map((r) => r.kind),
      ['refuse'],
      `token '${token}'`,
    );
    assert.match(replies[0].message, why);
  }
  const huge = await exchange(node.ringAddress, [
    ringHello(TOKEN),
    encodeChunkHeader({ op: 0, phase: 0, round: 0, offset: 0, length: 5 * 1024 * 1024, dataBytes: 17 * 1024 * 1024 }),
  ]);
  assert.deepEqual(
    huge.map((r) => r.kind),
    ['accept', 'refuse'],
  );
  assert.match(huge[1].message, /chunk of 17825792 bytes is larger than the 16777216-byte limit/);
  const truncated = await exchange(node.ringAddress, [ringHello(TOKEN), frame.subarray(0, 20)], { end: true });
  assert.deepEqual(
    truncated.map((r) => r.kind),
    ['accept'],
    'a truncated frame is dropped, not answered',
  );
});

test('Rendezvous Join needs the token; listening beyond loopback needs one; tokens compare by digest', async (t) => {
  const rendezvous = await RendezvousServer.listen({
    bindAddress: '127.0.0.1:0',
    worldSize: 1,
    runId: 'sec',
    log: quietLogger(),
  });
  const Rendezvous = loadProto().superconverge.v1.Rendezvous;
  const client = new Rendezvous(rendezvous.address, grpc.credentials.createInsecure()) as unknown as RawClient;
  t.after(async () => {
    client.close();
    await rendezvous.close();
  });
  const join = { workerAddress: '127.0.0.1:1', ringAddress: '127.0.0.1:2', hostname: 'x', requestedRank: -1 };
  assert.equal((await call(client, 'Join', join)).code, grpc.status.UNAUTHENTICATED);
  assert.equal((await call(client, 'Join', join, 'another-token-entirely')).code, grpc.status.UNAUTHENTICATED);
  assert.deepEqual(rendezvous.joinedSoFar(), [], 'nobody joined');

  assert.throws(
    () => requireTokenToBind('0.0.0.0', 'the coordinator (--listen)', {}),
    /the coordinator \(--listen\) would listen on 0\.0\.0\.0.*--token-file FILE or SUPERCONVERGE_TOKEN/,
  );
  assert.throws(
    () => requireTokenToBind('10.1.2.3', 'the worker server', { SUPERCONVERGE_TOKEN: 'short' }),
    /at least 16 characters/,
  );
  for (const host of ['127.0.0.1', 'localhost', '::1']) requireTokenToBind(host, 'x', {});
  requireTokenToBind('10.1.2.3', 'x', { SUPERCONVERGE_TOKEN: TOKEN });
  assert.equal(tokenMatches(TOKEN, TOKEN), true);
  assert.equal(tokenMatches(TOKEN, TOKEN + ' '), false);
  assert.equal(tokenMatches('', TOKEN), false);
});
