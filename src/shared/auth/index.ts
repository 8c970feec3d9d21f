export { requireTokenToBind, runToken, TOKEN_METADATA_KEY, tokenMatches, useTokenFile } from './runToken.js';
export { authClientOptions, authServerOptions } from './authInterceptors.js';
export {
  channelCredentials,
  runTlsFiles,
  serverCredentials,
  useTlsFiles,
} from './transportCredentials.js';
