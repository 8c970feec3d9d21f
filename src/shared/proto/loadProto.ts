/** Loads proto/superconverge.proto: the one place the service contract is read. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/superconverge.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** proto/ at the package root: from src/shared/proto it is 3 levels up, from dist/src/shared/proto 4. */
function protoPath(): string {
  const candidates = ['../../../proto', '../../../../proto'].map((up) => path.resolve(here, up, 'superconverge.proto'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`proto/superconverge.proto not found (looked at ${candidates.join(', ')})`);
  return found;
}

/** Options keep 64-bit integers as JS numbers and bytes as Buffers, matching the generated types. */
const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: ProtoGrpcType | undefined;
/** The loaded package (superconverge.v1), typed from the generated definitions. */
export function loadProto(): ProtoGrpcType {
  if (!cached) {
    const def = protoLoader.loadSync(protoPath(), PROTO_LOADER_OPTIONS);
    cached = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return cached;
}
