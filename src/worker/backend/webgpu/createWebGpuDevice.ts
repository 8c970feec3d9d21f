/**
 * Finds a WebGPU adapter through Dawn's Node binding (the `webgpu` package) and opens a device on it: the
 * platform's native API first (Vulkan on Linux, Metal on macOS, D3D12 on Windows), then OpenGL ES and OpenGL in
 * compatibility mode (on headless Linux through EGL's surfaceless platform, which this sets). The caller decides
 * whether a software adapter (llvmpipe, lavapipe, SwiftShader) will do.
 */
import { isSoftwareAdapter, type AdapterInfo } from '../../../shared/gpu/index.js';

/** The parts of Dawn's GPU objects this uses (the `webgpu` package is optional, so its types may be absent). */
interface DawnGpu {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
    featureLevel?: string;
  }): Promise<DawnAdapter | null>;
}
interface DawnAdapter {
  readonly info: {
    vendor: string;
    architecture: string;
    device: string;
    description: string;
    isFallbackAdapter?: boolean;
  };
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<DawnDevice>;
}
interface DawnDevice {
  destroy(): void;
}
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: object;
}

export interface WebGpuDevice {
  /** The `create()` object: it owns Dawn's instance, so it lives as long as the device. */
  gpu: DawnGpu;
  adapter: DawnAdapter;
  device: DawnDevice;
  info: AdapterInfo;
}

class NoAdapterError extends Error {
  override name = 'NoAdapterError';
}

/** One way to ask Dawn for an adapter. */
interface AdapterRoute {
  api: string;
  flags: string[];
  featureLevel?: 'compatibility';
}

/** The routes tried, best first, for a platform. */
export function adapterRoutes(platform: NodeJS.Platform): AdapterRoute[] {
  const gl: AdapterRoute[] = [
    { api: 'opengles', flags: ['backend=opengles'], featureLevel: 'compatibility' },
    { api: 'opengl', flags: ['backend=opengl'], featureLevel: 'compatibility' },
  ];
  if (platform === 'darwin') return [{ api: 'metal', flags: ['backend=metal'] }];
  if (platform === 'win32')
    return [{ api: 'd3d12', flags: ['backend=d3d12'] }, { api: 'vulkan', flags: ['backend=vulkan'] }, ...gl];
  return [{ api: 'vulkan', flags: ['backend=vulkan'] }, ...gl];
}

/** What to install when no adapter was found, per platform. */
function howToInstall(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Metal needs macOS 11 or later on a Mac with a Metal GPU';
  if (platform === 'win32') return "install your GPU vendor's current driver (D3D12 or Vulkan)";
  return (
    "for a GPU, the Vulkan loader and the vendor's driver (Debian: `apt-get install libvulkan1` plus the NVIDIA " +
    'driver, or `mesa-vulkan-drivers` for AMD and Intel); for a software adapter on a machine without a GPU, Mesa ' +
    '(`apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri`)'
  );
}

let dawn: DawnModule | undefined;

async function loadDawn(): Promise<DawnModule> {
  if (!dawn) {
    dawn = (await import('webgpu' as string)) as DawnModule;
    // GPUBufferUsage, GPUMapMode, ...: tfjs-backend-webgpu reads them as globals, as in a browser.
    Object.assign(globalThis, dawn.globals);
  }
  return dawn;
}

/**
 * Opens a device on the first adapter a route gives (skipping software adapters unless `allowSoftware`). No
 * adapter is a NoAdapterError listing each route tried and what it gave, and what to install.
 */
export async function createWebGpuDevice(opts: {
  allowSoftware: boolean;
  platform?: NodeJS.Platform;
}): Promise<WebGpuDevice> {
  const platform = opts.platform ?? process.platform;
  const { create } = await loadDawn();
  // Mesa's EGL looks for an X or Wayland display unless told otherwise; a headless worker has neither.
  if (platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    process.env.EGL_PLATFORM ??= 'surfaceless';
  const tried: string[] = [];
  let software: { gpu: DawnGpu; adapter: DawnAdapter; info: AdapterInfo } | undefined;
  for (const route of adapterRoutes(platform)) {
    let gpu: DawnGpu;
    let adapter: DawnAdapter | null;
    try {
      gpu = create(route.flags);
      adapter = await gpu.requestAdapter({
        powerPreference: 'high-performance',
        ...(route.featureLevel && { featureLevel: route.featureLevel }),
      });
    } catch (e) {
      tried.push(`${route.api}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${route.api}: no adapter`);
      continue;
    }
    const raw = adapter.info;
    const info: AdapterInfo = {
      vendor: raw.vendor,
      architecture: raw.architecture,
      device: raw.device,
      description: raw.description,
      api: route.api,
      software: isSoftwareAdapter(raw),
    };
    if (info.software) {
      // A GPU on a later route beats a software adapter on an earlier one.
      tried.push(
        `${route.api}: a software adapter (${info.device || info.description})${opts.allowSoftware ? '' : ', slower than wasm'}`,
      );
      if (opts.allowSoftware) software ??= { gpu, adapter, info };
      continue;
    }
    return { gpu, adapter, info, device: await adapter.requestDevice(deviceDescriptor(adapter)) };
  }
  if (software)
    return { ...software, device: await software.adapter.requestDevice(deviceDescriptor(software.adapter)) };
  throw new NoAdapterError(`no WebGPU adapter (tried ${tried.join('; ')}); ${howToInstall(platform)}`);
}

/** The features and limits tfjs-backend-webgpu asks for (as its own registration does): the adapter's maxima. */
function deviceDescriptor(adapter: DawnAdapter): object {
  const l = adapter.limits;
  return {
    requiredFeatures: ['timestamp-query'].filter((f) => adapter.features.has(f)),
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  };
}
