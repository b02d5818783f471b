import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType as ControlProto } from './generated/control.js';
import type { ProtoGrpcType as DispatcherProto } from './generated/dispatcher.js';

/**
 * PROTO_DIR is the folder holding `cluster/v1/*.proto`: the repository's
 * proto/ (three folders above packages/api/dist, and above the CLI's
 * bundle/), else the copy an installed package carries beside dist/ and
 * bundle/ (scripts/pack.mjs puts it there).
 */
export const PROTO_DIR = [new URL('../../../proto', import.meta.url), new URL('../proto', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((d) => existsSync(`${d}/cluster/v1/control.proto`)) ?? fileURLToPath(new URL('../../../proto', import.meta.url));

/**
 * LOADER_OPTIONS are the proto-loader options; scripts/gen-proto.mjs gives the
 * type generator the same ones, so the generated types describe these objects.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** ClusterProto is the loaded `cluster.v1` package with its services. */
export type ClusterProto = ControlProto['cluster']['v1'] & DispatcherProto['cluster']['v1'];

/** ControlOnlyProto is `cluster.v1` as control.proto alone defines it: the Control service and the messages. */
export type ControlOnlyProto = ControlProto['cluster']['v1'];

let cached: ClusterProto | undefined;

/** loadClusterProto loads the protos once per process and returns `cluster.v1`. */
export function loadClusterProto(): ClusterProto {
  if (cached) return cached;
  const def = protoLoader.loadSync(['cluster/v1/control.proto', 'cluster/v1/dispatcher.proto'], LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(def) as unknown as ControlProto & DispatcherProto;
  cached = pkg.cluster.v1 as ClusterProto;
  return cached;
}

let controlOnly: ControlOnlyProto | undefined;

/**
 * loadControlProto loads control.proto alone (with the types it imports):
 * what a client of the Control service needs, in about half the time of
 * loadClusterProto, which also parses dispatcher.proto.
 */
export function loadControlProto(): ControlOnlyProto {
  if (cached) return cached;
  if (controlOnly) return controlOnly;
  const def = protoLoader.loadSync(['cluster/v1/control.proto'], LOADER_OPTIONS);
  controlOnly = (grpc.loadPackageDefinition(def) as unknown as ControlProto).cluster.v1;
  return controlOnly;
}
