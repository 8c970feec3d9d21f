export { createLogger, type Logger, type LogFormat } from './createLogger.js';
