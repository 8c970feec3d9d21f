import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES } from '../../shared/config/index.js';
import type { AdapterInfo } from '../../shared/gpu/index.js';
import { loadWebGpu } from './webgpu/index.js';

/** The backends a worker can train on, in the order `auto` tries them (webgpu: on a GPU, not a software adapter). */
const BACKEND_CHOICES = BACKEND_NAMES;
type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

/** Raised when a requested backend cannot load; the message says why and how to install it. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

interface BackendLoader {
  /** Name under which tfjs registers the backend. */
  tfName: string;
  /** Loads it; `auto` says whether auto is trying it (webgpu then refuses a software adapter). */
  load(auto: boolean): Promise<AdapterInfo | undefined>;
  howToInstall: string;
}

const LOADERS: Record<ConcreteBackend, BackendLoader> = {
  'tensorflow-gpu': {
    tfName: 'tensorflow',
    load: async () => {
      await import('@tensorflow/tfjs-node-gpu' as string);
    },
    howToInstall:
      'install it with `npm install @tensorflow/tfjs-node-gpu@4.22.0` on a Linux machine with CUDA 11.2 and cuDNN 8.1 ' +
      '(its installer downloads the native TensorFlow library, so the machine needs that download to succeed)',
  },
  webgpu: {
    tfName: 'webgpu',
    load: (auto) => loadWebGpu({ allowSoftware: !auto }),
    howToInstall:
      'it needs the optional packages `webgpu` and `@tensorflow/tfjs-backend-webgpu` (`npm ci` installs them) and a ' +
      'WebGPU adapter: see "GPU training" in the README',
  },
  tensorflow: {
    tfName: 'tensorflow',
    load: async () => {
      await import('@tensorflow/tfjs-node' as string);
    },
    howToInstall:
      'install it with `npm install @tensorflow/tfjs-node@4.22.0` (its installer downloads the native TensorFlow ' +
      'library, so the machine needs that download to succeed)',
  },
  wasm: {
    tfName: 'wasm',
    load: async () => {
      await import('@tensorflow/tfjs-backend-wasm');
      const { registerWasmKernels } = await import('../kernels/index.js');
      registerWasmKernels();
    },
    howToInstall: 'it ships with superconverge (@tensorflow/tfjs-backend-wasm); reinstall with `npm ci`',
  },
  cpu: {
    tfName: 'cpu',
    load: async () => {
      /* bundled with @tensorflow/tfjs */
    },
    howToInstall: 'it ships with @tensorflow/tfjs',
  },
};

async function tryBackend(name: ConcreteBackend, auto: boolean): Promise<AdapterInfo | undefined> {
  const loader = LOADERS[name];
  let adapter: AdapterInfo | undefined;
  try {
    adapter = await loader.load(auto);
  } catch (e) {
    throw new BackendUnavailableError(`backend '${name}' cannot load: ${firstLine(e)}; ${loader.howToInstall}`);
  }
  const ok = await tf.setBackend(loader.tfName);
  if (!ok)
    throw new BackendUnavailableError(`backend '${name}' loaded but failed to initialise; ${loader.howToInstall}`);
  await tf.ready();
  if (loader.tfName === 'cpu') silenceCpuBanner();
  return adapter ?? undefined;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** tfjs's cpu backend prints a banner on first use in Node; the logs already say which backend runs. */
function silenceCpuBanner(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (backend) backend.firstUse = false;
}

interface SelectedBackend {
  backend: ConcreteBackend;
  /** Why each backend auto tried before it did not load. */
  skipped: string[];
  /** webgpu: the adapter it runs on. */
  adapter?: AdapterInfo;
}

/**
 * Makes `choice` the active tfjs backend and returns the one that runs. `auto` takes the first that loads of
 * tensorflow-gpu, webgpu on a hardware adapter, tensorflow, wasm, cpu; naming one that cannot load is a
 * BackendUnavailableError.
 */
export async function selectBackend(choice: BackendChoice): Promise<SelectedBackend> {
  if (choice !== 'auto') {
    const adapter = await tryBackend(choice, false);
    return { backend: choice, skipped: [], ...(adapter && { adapter }) };
  }
  const skipped: string[] = [];
  for (const name of BACKEND_CHOICES.slice(1) as ConcreteBackend[]) {
    try {
      const adapter = await tryBackend(name, true);
      return { backend: name, skipped, ...(adapter && { adapter }) };
    } catch (e) {
      skipped.push(firstLine(e));
    }
  }
  throw new BackendUnavailableError(`no backend could load:\n  ${skipped.join('\n  ')}`);
}
