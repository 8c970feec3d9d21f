import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/shared/config/index.js';
import { BUILT_IN_LAYER_GROUPS, buildModel, resolveLayerGroups } from '../../src/worker/models/index.js';
import { Replica, selectBackend, sgdStep } from '../../src/worker/index.js';

const spec = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed: 5 };
const groupsOf = (name: keyof typeof BUILT_IN_LAYER_GROUPS, inputShape = spec.inputShape) => {
  const model = buildModel(name, { ...spec, inputShape });
  const groups = resolveLayerGroups(model, BUILT_IN_LAYER_GROUPS[name], name);
  return { model, groups };
};

test('built-in groups: resnets split into stem + first stage, middle stages, head; mlp into hidden, head', async () => {
  await selectBackend('cpu');
  const mini = groupsOf('resnet-mini');
  assert.equal(mini.groups.length, 3);
  const [body, middle, top] = mini.groups.map((g) => g.layers);
  assert.ok(
    body.includes('stem_conv') && body.includes('block1_conv2') && body.every((n) => !n.startsWith('block2')),
    body.join(','),
  );
  assert.ok(
    middle.every((n) => n.startsWith('block2') || n.startsWith('block3')) && middle.includes('block3_proj_bn'),
    middle.join(','),
  );
  assert.deepEqual(top, ['head_pool', 'head_dense']);
  assert.equal(
    mini.groups.reduce((n, g) => n + g.parameterCount, 0),
    mini.model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0),
  );

  const r20 = groupsOf('resnet20', [32, 32, 3]);
  assert.equal(r20.groups.length, 3);
  assert.ok(r20.groups[0].layers.includes('stage1_block3_out') && r20.groups[1].layers[0].startsWith('stage2_block1'));
  assert.ok(r20.groups[1].layers.includes('stage3_block3_out') && r20.groups[2].layers.includes('head_dense'));

  const mlp = groupsOf('mlp');
  assert.deepEqual(
    mlp.groups.map((g) => g.layers),
    [['input', 'flatten', 'hidden'], ['head_dense']],
  );
  assert.deepEqual(
    mlp.groups.map((g) => g.parameterCount),
    [784 * 128 + 128, 128 * 10 + 10],
  );
  for (const m of [mini, r20, mlp]) m.model.dispose();
});

test('--layer-groups: indices and prefixes; a prefix matching no layer, a bad order or index fail naming it', async () => {
  await selectBackend('cpu');
  const model = buildModel('cnn', spec);
  const names = model.layers.map((l) => l.name);
  const byMix = resolveLayerGroups(model, ['conv1', String(names.indexOf('conv2')), 'head_d'], '--layer-groups');
  assert.deepEqual(
    byMix.map((g) => g.layers[0]),
    ['input', 'conv2', 'head_dense'],
  );
  assert.deepEqual(byMix[0].layers, ['input', 'conv1', 'bn1', 'relu1']);
  assert.deepEqual(
    resolveLayerGroups(model, undefined, 'm').map((g) => g.layers),
    [names],
  );
  const fails: [string[], RegExp][] = [
    [['conv1', 'nope'], /--layer-groups: 'nope' matches no layer name; the model's layers are input, conv1, bn1/],
    [['conv2', 'conv1'], /group 1 starts at layer 1 \(conv1\), not after group 0's start \(layer 4, conv2\)/],
    [['conv1', '99'], /layer index 99 is past the model's last layer/],
    [['conv1', 'relu1', 'conv2'], /group 1 \(layers relu1\) holds no trainable weights/],
  ];
  for (const [starts, message] of fails) {
    assert.throws(
      () => resolveLayerGroups(model, starts, '--layer-groups'),
      (e: Error) => e instanceof ConfigError && message.test(e.message),
      starts.join(','),
    );
  }
  model.dispose();
});

test('the replica updates each group with its own lr and wd; frozen groups get no gradient and no update', async () => {
  await selectBackend('cpu');
  const model = buildModel('mlp', spec);
  const groups = resolveLayerGroups(model, BUILT_IN_LAYER_GROUPS.mlp, 'mlp');
  const n = 16;
  const batch = {
    x: new Float32Array(n * 784).map((_, i) => Math.sin(i * 0.37)),
    labels: new Int32Array(n).map((_, i) => i % 10),
    shape: [n, 28, 28, 1] as [number, number, number, number],
  };
  const h = { momentum: 0.9, mode: 'coupled' as const };

  const free = await Replica.create(model, undefined, { groups, freezeTo: 0 });
  const split = groups[0].parameterCount;
  assert.equal(free.trainableCount, free.parameterCount);
  const w0 = free.weights.slice();
  const { gradients: g } = await free.computeGradients(batch, n);
  // Expected: sgdStep over each group's range with that group's lr and wd.
  const want = w0.slice();
  const v = new Float32Array(want.length);
  sgdStep(want, g, v, { ...h, lr: 0.01, weightDecay: 1e-3 }, 0, split);
  sgdStep(want, g, v, { ...h, lr: 0.1, weightDecay: 1e-4 }, split, want.length);
  free.applyUpdate(g, { groupLrs: [0.01, 0.1], momentum: 0.9, groupWeightDecays: [1e-3, 1e-4] }, 'coupled');
  assert.deepEqual(free.weights, want);
  assert.deepEqual(free.momentum, v);
  assert.throws(
    () => free.applyUpdate(g, { groupLrs: [0.1, 0.1, 0.1], momentum: 0.9, groupWeightDecays: [0, 0] }, 'coupled'),
    /the step gives 3 group lrs, the model has 2 layer groups/,
  );
  assert.throws(
    () => free.applyUpdate(g, { groupLrs: [0.1, 0.1], momentum: 0.9, groupWeightDecays: [] }, 'coupled'),
    /the step gives 0 group weight decays, the model has 2 layer groups/,
  );
  model.dispose();

  const model2 = buildModel('mlp', spec);
  const frozen = await Replica.create(model2, undefined, {
    groups: resolveLayerGroups(model2, BUILT_IN_LAYER_GROUPS.mlp, 'mlp'),
    freezeTo: 1,
  });
  assert.equal(frozen.trainableCount, 128 * 10 + 10, 'gradients (and the allreduce) cover the head only');
  const before = frozen.weights.slice();
  const r = await frozen.computeGradients(batch, n);
  assert.equal(r.gradients.length, frozen.trainableCount);
  frozen.applyUpdate(r.gradients, { groupLrs: [0.1, 0.1], momentum: 0.9, groupWeightDecays: [0.5, 0.5] }, 'coupled');
  assert.deepEqual(frozen.weights.subarray(0, split), before.subarray(0, split));
  assert.ok(frozen.momentum.subarray(0, split).every((x) => x === 0));
  assert.notDeepEqual(frozen.weights.subarray(split), before.subarray(split));
  // The model's own variables agree with the flat weights.
  const hidden = model2.getLayer('hidden').getWeights()[0].dataSync();
  assert.deepEqual(Float32Array.from(hidden), before.subarray(0, 784 * 128));
  model2.dispose();
});
