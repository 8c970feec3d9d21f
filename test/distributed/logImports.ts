/** `node --import logImports.js ...`: records every module the process resolves (see importLogHooks.ts). */
import { register } from 'node:module';

register(new URL('./importLogHooks.js', import.meta.url));
