import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { selectBackend } from '../../src/worker/index.js';
import { adapterRoutes } from '../../src/worker/backend/webgpu/index.js';
import { gpuEnvironment, isSoftwareAdapter, listPciGpus } from '../../src/shared/gpu/index.js';
import { tempRunDir } from '../distributed/helpers.js';

test('GPUs are listed in PCI order from sysfs, without BMC VGA, and each worker is pinned by PCI address', (t) => {
  const root = tempRunDir(t, 'sc-sysfs-');
  const dev = (address: string, cls: string, vendor: string, device: string) => {
    mkdirSync(path.join(root, address));
    for (const [f, v] of [
      ['class', cls],
      ['vendor', vendor],
      ['device', device],
    ])
      writeFileSync(path.join(root, address, f), `${v}\n`);
  };
  dev('0000:b3:00.0', '0x030200', '0x10de', '0x2335'); // two identical NVIDIA H200s (3D controller)
  dev('0000:17:00.0', '0x030200', '0x10de', '0x2335');
  dev('0000:03:00.0', '0x030000', '0x1a03', '0x2000'); // ASPEED BMC VGA
  dev('0000:00:1f.0', '0x060100', '0x8086', '0xa1c8'); // an ISA bridge
  const gpus = listPciGpus(root);
  assert.deepEqual(
    gpus.map((g) => g.address),
    ['0000:17:00.0', '0000:b3:00.0'],
  );
  assert.deepEqual(gpuEnvironment(1, gpus), {
    CUDA_VISIBLE_DEVICES: '1',
    DRI_PRIME: 'pci-0000_b3_00_0',
    MESA_VK_DEVICE_SELECT_FORCE_DEFAULT_DEVICE: '1',
  });
  assert.throws(
    () => gpuEnvironment(2, gpus),
    /--gpus 2: this machine has 2 GPU\(s\), numbered 0\.\.1 \(0000:17:00\.0, 0000:b3:00\.0\)/,
  );
  assert.deepEqual(gpuEnvironment(3, []), { CUDA_VISIBLE_DEVICES: '3' }, 'no sysfs: CUDA_VISIBLE_DEVICES only');
  assert.deepEqual(listPciGpus(path.join(root, 'absent')), []);
});

test('adapter routes: the native API first, then OpenGL ES and OpenGL in compatibility mode; software adapters are recognised', () => {
  assert.deepEqual(
    adapterRoutes('linux').map((r) => r.api),
    ['vulkan', 'opengles', 'opengl'],
  );
  assert.deepEqual(
    adapterRoutes('darwin').map((r) => r.api),
    ['metal'],
  );
  assert.deepEqual(
    adapterRoutes('win32').map((r) => r.api),
    ['d3d12', 'vulkan', 'opengles', 'opengl'],
  );
  assert.ok(
    isSoftwareAdapter({
      vendor: '',
      device: 'llvmpipe-llvm-15-0-6-256-bits-',
      description: 'OpenGL ES 3.2 Mesa 22.3.6',
    }),
  );
  assert.ok(isSoftwareAdapter({ vendor: 'mesa', device: 'llvmpipe (LLVM 19.1.7, 256 bits)', description: 'lavapipe' }));
  assert.ok(isSoftwareAdapter({ vendor: 'google', device: 'SwiftShader Device (Subzero)', description: '' }));
  assert.ok(!isSoftwareAdapter({ vendor: 'nvidia', device: 'NVIDIA H200', description: 'NVIDIA: 570.86.15' }));
});

test('auto passes over webgpu on a software adapter (slower than wasm) and says why', async () => {
  const r = await selectBackend('auto');
  const webgpu = r.skipped.find((s) => s.startsWith("backend 'webgpu'"));
  if (r.backend === 'webgpu') {
    assert.equal(r.adapter?.software, false, 'auto takes webgpu only on a hardware adapter');
    return;
  }
  assert.ok(webgpu, `auto tried webgpu: ${r.skipped.join(' | ')}`);
  assert.match(webgpu, /software adapter \(.*\), slower than wasm|no WebGPU adapter|cannot load/);
  assert.equal(r.adapter, undefined);
});

test('no adapter: the error lists every API tried, what each gave, and what to install', async () => {
  // EGL's X11 platform with no X display makes OpenGL ES and OpenGL fail, as on a machine without Mesa.
  const { spawnSync } = await import('node:child_process');
  const script =
    `import('${new URL('../../src/worker/backend/webgpu/index.js', import.meta.url).href}')` +
    `.then((m) => m.createWebGpuDevice({ allowSoftware: true })).then((d) => console.log('ADAPTER ' + JSON.stringify(d.info)), (e) => console.log('ERROR ' + e.name + ': ' + e.message))`;
  const env: NodeJS.ProcessEnv = { ...process.env, EGL_PLATFORM: 'x11' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('ADAPTER ') || l.startsWith('ERROR ')) ?? '';
  if (line.startsWith('ADAPTER ')) {
    // A machine with a Vulkan GPU: the native route found it before OpenGL was tried.
    assert.equal((JSON.parse(line.slice(8)) as { api: string }).api, 'vulkan');
    return;
  }
  assert.match(
    line,
    /^ERROR NoAdapterError: no WebGPU adapter \(tried vulkan: [^;]+; opengles: [^;]+; opengl: [^)]+\); for a GPU, the Vulkan loader and the vendor's driver .*libvulkan1.*; for a software adapter .*libegl1 libegl-mesa0 libgl1-mesa-dri/,
  );
});
