// Placeholder until the kernels branch lands: the stock wasm backend (no Conv2DBackpropFilter).
export function registerWasmKernels(): void {}
