import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { adoptForOnread } from '../../src/worker/allreduce/adoptForOnread.js';

test('an accepted connection adopted for onread reads into the buffers handed out, writes, ends and leaves the server', {
  timeout: 10_000,
}, async () => {
  const sent = Buffer.alloc(3 * 1024 * 1024 + 5);
  for (let i = 0; i < sent.length; i++) sent[i] = (i * 7 + (i >> 11)) & 0xff;
  const received = Buffer.alloc(sent.length);
  let at = 0;
  let foreignBuffers = 0;
  const handedOut = new Set<Uint8Array>();
  const done = new Promise<{ closed: boolean }>((resolve, reject) => {
    const server = net.createServer({ pauseOnConnect: true }, (accepted) => {
      const adopted = adoptForOnread(accepted, {
        // Each read goes straight to where its bytes belong (at most 64 KiB + 1 per read, to see many reads).
        buffer: () => {
          const view = received.subarray(at, Math.min(received.length, at + 65537));
          handedOut.add(view);
          return view.length > 0 ? view : Buffer.alloc(1);
        },
        callback: (n, buf) => {
          if (!handedOut.has(buf)) foreignBuffers++;
          at += n;
          if (at === sent.length) adopted?.end('done');
          return true;
        },
      });
      if (!adopted) {
        reject(new Error('adoptForOnread returned undefined for a plain TCP connection'));
        return;
      }
      adopted.resume();
      adopted.on('error', reject);
      adopted.on('close', () => server.close(() => resolve({ closed: true })));
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect({ host: '127.0.0.1', port }, () => client.write(sent));
      const answer: Buffer[] = [];
      client.on('data', (b: Buffer) => answer.push(b));
      client.on('end', () => {
        try {
          assert.equal(Buffer.concat(answer).toString(), 'done', 'the adopted socket writes on the connection');
          client.end();
        } catch (err) {
          reject(err);
        }
      });
      client.on('error', reject);
    });
  });
  // server.close() calls back only once the server counts no connection: the adopted one left its count.
  assert.deepEqual(await done, { closed: true });
  assert.equal(at, sent.length);
  assert.equal(foreignBuffers, 0, 'every read landed in a buffer handed out');
  assert.ok(handedOut.size > 3, `many reads (${handedOut.size} buffers handed out)`);
  assert.ok(received.equals(sent), 'the bytes arrived in order, where they belong');
});
