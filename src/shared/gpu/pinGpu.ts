/**
 * Pins a worker process to one GPU for every backend that can train on it. dawn.node has no adapter-index option
 * (its `adapter=` matches a name, the same for identical GPUs) and CUDA_VISIBLE_DEVICES does not reach Vulkan, so
 * for webgpu this names the GPU by its PCI address to Mesa's Vulkan device-select layer (DRI_PRIME=pci-...) and has
 * the layer expose that device alone (MESA_VK_DEVICE_SELECT_FORCE_DEFAULT_DEVICE=1). The layer sits between the
 * Vulkan loader and every driver (NVIDIA's included) where Mesa's Vulkan drivers package is installed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface PciGpu {
  /** e.g. 0000:17:00.0 */
  address: string;
  vendorId: string;
  deviceId: string;
}

/** Display adapters of servers' management controllers, which are not GPUs to train on (ASPEED, Matrox). */
const BMC_VENDORS = new Set(['0x1a03', '0x102b']);

/**
 * The machine's GPUs in PCI address order (nvidia-smi's and the CUDA_DEVICE_ORDER=PCI_BUS_ID order): PCI devices
 * of class 0x03 (display), without management-controller VGA.
 */
export function listPciGpus(sysfs = '/sys/bus/pci/devices'): PciGpu[] {
  let entries: string[];
  try {
    entries = readdirSync(sysfs);
  } catch {
    return []; // no sysfs (macOS, Windows, some containers): nothing to pin by address
  }
  const read = (dev: string, file: string): string => readFileSync(path.join(sysfs, dev, file), 'utf8').trim();
  return entries
    .filter((dev) => read(dev, 'class').startsWith('0x03') && !BMC_VENDORS.has(read(dev, 'vendor')))
    .sort()
    .map((dev) => ({ address: dev, vendorId: read(dev, 'vendor'), deviceId: read(dev, 'device') }));
}

/** Mesa's spelling of a PCI address: 0000:17:00.0 -> pci-0000_17_00_0. */
function driPrimeTag(address: string): string {
  return `pci-${address.replace(/[:.]/g, '_')}`;
}

/** Environment for a worker process that must see GPU `index` (of listPciGpus' order) alone. */
export function gpuEnvironment(index: number, gpus: readonly PciGpu[] = listPciGpus()): Record<string, string> {
  const env: Record<string, string> = { CUDA_VISIBLE_DEVICES: String(index) };
  if (gpus.length === 0) return env;
  const gpu = gpus[index];
  if (!gpu) {
    throw new RangeError(
      `--gpus ${index}: this machine has ${gpus.length} GPU(s), numbered 0..${gpus.length - 1} (${gpus.map((g) => g.address).join(', ')})`,
    );
  }
  return { ...env, DRI_PRIME: driPrimeTag(gpu.address), MESA_VK_DEVICE_SELECT_FORCE_DEFAULT_DEVICE: '1' };
}
