import * as grpc from '@grpc/grpc-js';
import { runToken, TOKEN_METADATA_KEY, tokenMatches } from './runToken.js';

/**
 * Server side: every call must carry the run's token in its metadata, or it ends with UNAUTHENTICATED before
 * its handler runs (`onRefused` is told, to log it).
 */
function serverAuthInterceptor(
  token: string,
  onRefused?: (method: string, why: string) => void,
): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, mdNext) => {
            const given = metadata.get(TOKEN_METADATA_KEY);
            const why =
              given.length === 0
                ? 'no token'
                : given.length > 1 || typeof given[0] !== 'string' || !tokenMatches(given[0], token)
                  ? 'a wrong token'
                  : undefined;
            if (why === undefined) return mdNext(metadata);
            onRefused?.(method.path, why);
            call.sendStatus({
              code: grpc.status.UNAUTHENTICATED,
              details: `refused: the call carries ${why} (the run's --token-file / SUPERCONVERGE_TOKEN)`,
            });
          },
        });
      },
    });
}

/** Client side: adds the token to every call's metadata. */
function clientAuthInterceptor(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        metadata.set(TOKEN_METADATA_KEY, token);
        next(metadata, listener);
      },
    });
}

/** Server options that check the process's token, if it has one (runToken()). */
export function authServerOptions(onRefused?: (method: string, why: string) => void): grpc.ServerOptions {
  const token = runToken();
  return token === undefined ? {} : { interceptors: [serverAuthInterceptor(token, onRefused)] };
}

/** Client options that send the process's token, if it has one. */
export function authClientOptions(): grpc.ClientOptions {
  const token = runToken();
  return token === undefined ? {} : { interceptors: [clientAuthInterceptor(token)] };
}
