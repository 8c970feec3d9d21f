import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { FitContext } from '../../src/coordinator/index.js';
import type { StepRecord } from '../../src/reporting/index.js';
import { crc32c, frameRecord, maskCrc, readRecords, TensorBoardWriter } from '../../src/reporting/index.js';
import { recordingLog, tempDir } from './fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('CRC-32C', () => {
  test('known vectors (iSCSI, RFC 3720 B.4)', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(32, 0)), 0x8a9136aa);
    assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
    assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
    assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
  });

  test('masked as TFRecord does: rotate right 15, add 0xa282ead8', () => {
    const rot = (c: number) => Number(((BigInt(c) >> 15n) | (BigInt(c) << 17n)) & 0xffffffffn);
    for (const c of [0, 1, 0xe3069283, 0xffffffff]) assert.equal(maskCrc(c), (rot(c) + 0xa282ead8) % 2 ** 32);
    assert.equal(maskCrc(0), 0xa282ead8);
  });
});

describe('TFRecord framing', () => {
  test('length, masked CRCs, data; read back; corruption named', () => {
    const data = Buffer.from('hello tensorboard');
    const rec = frameRecord(data);
    assert.equal(rec.length, 8 + 4 + data.length + 4);
    assert.equal(rec.readBigUInt64LE(0), BigInt(data.length));
    assert.equal(rec.readUInt32LE(8), maskCrc(crc32c(rec.subarray(0, 8))));
    assert.deepEqual(rec.subarray(12, 12 + data.length), data);
    assert.equal(rec.readUInt32LE(12 + data.length), maskCrc(crc32c(data)));
    const two = Buffer.concat([rec, frameRecord(Buffer.alloc(0))]);
    assert.deepEqual(
      readRecords(two).map((b) => b.toString()),
      ['hello tensorboard', ''],
    );
    const bad = Buffer.from(two);
    bad[14] ^= 1;
    assert.throws(() => readRecords(bad, 'f'), /^Error: f: record 0 at byte 0: data CRC mismatch$/);
    assert.throws(
      () => readRecords(two.subarray(0, two.length - 3), 'f'),
      /f: record 1 at byte 33: length 0 runs past the end/,
    );
    assert.throws(() => readRecords(two.subarray(0, 40), 'f'), /f: record 1 at byte 33: truncated header/);
  });
});

describe('TensorBoardWriter', () => {
  test('writes an event file that protobufjs decodes: version, then the scalars of each step and epoch', () => {
    const logDir = tempDir('tb');
    const ctx = { runDir: '/runs/20250101-000000-fit', log: recordingLog() } as unknown as FitContext;
    let t = 1700000000;
    const w = new TensorBoardWriter(logDir, { clock: () => (t += 0.5) });
    w.beforeFit(ctx);
    const step = (i: number): StepRecord => ({
      iteration: i,
      epoch: 0,
      lr: 0.1 * (i + 1),
      momentum: 0.95 - 0.01 * i,
      loss: 2 - 0.1 * i,
      smoothLoss: 2,
      trainAccuracy: 0.25,
      stepMs: 1,
      computeMs: 1,
      allreduceMs: 0,
    });
    w.afterStep(ctx, step(0));
    w.afterStep(ctx, { ...step(1), valLoss: 1.5, accuracy: 0.5 } as StepRecord);
    w.afterEpoch(ctx, { epoch: 0, trainLoss: 1.95, valLoss: 1.25, accuracy: 0.625, seconds: 1, imagesPerSecond: 10 });
    w.afterFit();

    const dir = path.join(logDir, '20250101-000000-fit');
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^events\.out\.tfevents\.1700000000\./);
    assert.equal(w.file, path.join(dir, files[0]));

    const Event = protobuf.loadSync(path.join(root, 'proto/tensorboard_event.proto')).lookupType('tensorboard.Event');
    const events = readRecords(readFileSync(w.file!), files[0]).map((r) =>
      Event.toObject(Event.decode(r), { longs: Number }),
    );
    assert.equal(events.length, 4);
    assert.deepEqual(events[0], { wallTime: 1700000000.5, step: 0, fileVersion: 'brain.Event:2' });
    const scalars = (e: Record<string, unknown>) =>
      Object.fromEntries(
        (e.summary as { value: { tag: string; simpleValue: number }[] }).value.map((v) => [v.tag, v.simpleValue]),
      );
    const f32 = (x: number) => Math.fround(x);
    assert.equal(events[1].step, 0);
    assert.equal(events[1].wallTime, 1700000001);
    assert.deepEqual(scalars(events[1]), {
      lr: f32(0.1),
      momentum: f32(0.95),
      loss: 2,
      smoothLoss: 2,
      trainAccuracy: 0.25,
    });
    assert.equal(events[2].step, 1);
    assert.deepEqual(scalars(events[2]), {
      lr: f32(0.2),
      momentum: f32(0.94),
      loss: f32(1.9),
      smoothLoss: 2,
      trainAccuracy: 0.25,
      valLoss: 1.5,
      accuracy: 0.5,
    });
    assert.equal(events[3].step, 1, "epoch scalars at the epoch's last iteration");
    assert.deepEqual(scalars(events[3]), { valLoss: 1.25, accuracy: 0.625, trainLoss: f32(1.95) });
  });

  test('writing before a file is open is an error that says so', () => {
    const w = new TensorBoardWriter(tempDir('tb'));
    assert.throws(() => w.addScalars(0, { lr: 1 }), /TensorBoardWriter: no event file open/);
  });
});
