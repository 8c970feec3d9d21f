export { isLoopback, MIN_TOKEN_LENGTH, requireTokenToBind, runToken, TOKEN_METADATA_KEY, tokenMatches, useTokenFile } from './runToken.js';
export { authClientOptions, authServerOptions, clientAuthInterceptor, serverAuthInterceptor } from './authInterceptors.js';
export { channelCredentials, runTlsFiles, serverCredentials, usesTls, useTlsFiles, type TlsFiles } from './transportCredentials.js';
