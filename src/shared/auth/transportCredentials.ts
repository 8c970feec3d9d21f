import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../config/ConfigError.js';

/**
 * TLS for every channel and server of a run, from PEM files named by SUPERCONVERGE_TLS_CERT, SUPERCONVERGE_TLS_KEY
 * and SUPERCONVERGE_TLS_CA (set by --tls-cert, --tls-key, --tls-ca, and inherited by the workers a coordinator
 * starts). With all three: mutual TLS (servers require a client certificate signed by the CA, clients check the
 * server's). None: plaintext. Certificates must name the addresses they serve (IP or DNS subjectAltName).
 */
const VARS = { cert: 'SUPERCONVERGE_TLS_CERT', key: 'SUPERCONVERGE_TLS_KEY', ca: 'SUPERCONVERGE_TLS_CA' } as const;

interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

function read(kind: keyof typeof VARS, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ConfigError(`--tls-${kind} ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function tlsFiles(env: NodeJS.ProcessEnv = process.env): TlsFiles | undefined {
  const given = (Object.keys(VARS) as (keyof typeof VARS)[]).filter((k) => env[VARS[k]]);
  if (given.length === 0) return undefined;
  if (given.length !== 3) {
    throw new ConfigError(
      `TLS needs --tls-cert, --tls-key and --tls-ca together; only ${given.map((k) => `--tls-${k}`).join(', ')} given`,
    );
  }
  return { cert: read('cert', env[VARS.cert]!), key: read('key', env[VARS.key]!), ca: read('ca', env[VARS.ca]!) };
}

/** `--tls-cert/--tls-key/--tls-ca`: makes them this process's (and its workers') TLS files, checked now. */
export function useTlsFiles(files: { cert?: string; key?: string; ca?: string }): void {
  for (const k of Object.keys(VARS) as (keyof typeof VARS)[]) {
    const f = files[k];
    if (f !== undefined) process.env[VARS[k]] = f;
  }
  tlsFiles();
}

/** The run's TLS files (PEM contents), or undefined when it has none: for the ring's TCP data plane (node:tls). */
export function runTlsFiles(env: NodeJS.ProcessEnv = process.env): TlsFiles | undefined {
  return tlsFiles(env);
}

export function serverCredentials(): grpc.ServerCredentials {
  const t = tlsFiles();
  return t
    ? grpc.ServerCredentials.createSsl(t.ca, [{ cert_chain: t.cert, private_key: t.key }], true)
    : grpc.ServerCredentials.createInsecure();
}

export function channelCredentials(): grpc.ChannelCredentials {
  const t = tlsFiles();
  return t ? grpc.credentials.createSsl(t.ca, t.key, t.cert) : grpc.credentials.createInsecure();
}
