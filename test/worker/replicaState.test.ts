import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel, Replica, selectBackend } from '../../src/worker/index.js';

test('a replica names its tensors in its state, and refuses a state whose tensors differ, naming the first', async () => {
  await selectBackend('cpu');
  const spec = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed: 3 };
  const model = buildModel('cnn', spec);
  const replica = await Replica.create(model);
  const state = await replica.getState();
  const weights = state.weightTensors!;
  const buffers = state.bufferTensors!;
  // Names as in model.json (no _1 suffix for a second model built in the process), in the flat order, covering it.
  assert.deepEqual(
    weights.map((t) => t.name),
    model.trainableWeights.map((v) => v.originalName),
  );
  assert.equal(
    weights.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0),
    state.weights.length,
  );
  assert.equal(
    buffers.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0),
    state.buffers.length,
  );
  assert.ok(
    buffers.some((t) => /moving_mean$/.test(t.name)),
    'BatchNorm statistics are named',
  );
  const again = buildModel('cnn', spec);
  assert.deepEqual(
    (await (await Replica.create(again)).getState()).weightTensors,
    weights,
    'a second model of the same kind has the same names',
  );

  replica.setState(state); // its own state fits
  replica.setState({ ...state, weightTensors: [], bufferTensors: [] }); // a state that does not say: lengths only
  const [a, b, ...rest] = weights;
  assert.throws(
    () => replica.setState({ ...state, weightTensors: [b, a, ...rest] }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.includes(
        `weight tensor 0 is ${b.name} [${b.shape.join(',')}] in the state, ${a.name} [${a.shape.join(',')}] in this model`,
      ),
  );
  assert.throws(
    () => replica.setState({ ...state, bufferTensors: buffers.slice(1) }),
    /buffer tensor 0 is .* in the state/,
  );
  model.dispose();
  again.dispose();
});
