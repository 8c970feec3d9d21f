/** What a worker's WebGPU adapter is, as logged and recorded in summary.json. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  /** Dawn's device name, e.g. "NVIDIA H200" or "llvmpipe-llvm-15-0-6-256-bits-". */
  device: string;
  description: string;
  /** The native API Dawn drives it through: vulkan, metal, d3d12, opengl or opengles. */
  api: string;
  /** A CPU implementation of the API (llvmpipe, lavapipe, SwiftShader, WARP): slower than the wasm backend. */
  software: boolean;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** Whether an adapter with this name and description is a software rasterizer rather than a GPU. */
export function isSoftwareAdapter(info: {
  vendor: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}): boolean {
  return info.isFallbackAdapter === true || SOFTWARE_NAMES.test(`${info.vendor} ${info.device} ${info.description}`);
}

/** One line for logs: "NVIDIA H200 (nvidia hopper, vulkan)" or "llvmpipe ... (opengles, software)". */
export function describeAdapter(a: AdapterInfo): string {
  const what = [a.vendor, a.architecture].filter(Boolean).join(' ');
  const name = a.device || a.description || 'unnamed adapter';
  return `${name} (${[what, a.api, a.software ? 'software' : ''].filter(Boolean).join(', ')})${a.description && a.description !== name ? `: ${a.description}` : ''}`;
}
