// spec-encoding measures how a service spec should cross the wire in an
// assignment (issue 20): as JSON text in ServiceVersionSpec.spec_json (what
// the manager sends) or as a structured protobuf message. For assignment sets
// of N tasks over S services it reports the bytes of the encoded
// ManagerMessage, the manager's encode time (specs to text once per service
// version, then the message) and the agent's decode time (the message, then
// each spec text once, as the agent's SpecCache does), median of the rounds.
// The structured form is a ServiceSpec message with the fields of the spec
// used here (written to a temporary .proto and loaded with the loader's own
// options); it leaves out the conversion between the decoded message and a
// core ServiceSpec (maps, enums, optional keys) that a real switch would add.
//   npm run bench -- --only spec [--runs N] [--no-write]
//   node bench/spec-encoding.mjs            (prints the table, writes nothing)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { LOADER_OPTIONS, loadClusterProto } from '@cluster/api';
import { decodeServiceSpec, encodeServiceSpec } from '@cluster/core';

/** STRUCTURED is the structured alternative: the spec as a message, in a set shaped like AssignmentSet. */
const STRUCTURED = `syntax = "proto3";
package bench.v1;
import "cluster/v1/types.proto";
message Port { uint32 target = 1; uint32 published = 2; string protocol = 3; string mode = 4; }
message RestartPolicy { string condition = 1; int64 delay_ms = 2; uint32 max_attempts = 3; int64 window_ms = 4; }
message Healthcheck { repeated string test = 1; int64 interval_ms = 2; int64 timeout_ms = 3; uint32 retries = 4; int64 start_period_ms = 5; }
message Resources { int64 nano_cpus = 1; int64 memory_bytes = 2; }
message Mount { string type = 1; string source = 2; string target = 3; bool read_only = 4; }
message Dependency { string service = 1; string condition = 2; bool required = 3; bool restart = 4; }
message ServiceSpec {
  string name = 1; string image = 2; repeated string command = 3; map<string, string> env = 4; map<string, string> labels = 5;
  repeated Port ports = 6; string mode = 7; uint32 replicas = 8; RestartPolicy restart = 9; repeated string constraints = 10;
  int64 stop_grace_period_ms = 11; Healthcheck healthcheck = 12; Resources reservations = 13; Resources limits = 14;
  repeated Mount mounts = 15; repeated string networks = 16; repeated Dependency depends_on = 17;
}
message StructuredVersionSpec { string service = 1; uint64 spec_version = 2; ServiceSpec spec = 3; }
message StructuredAssignmentSet { int32 type = 1; repeated cluster.v1.Task tasks = 2; repeated string removed = 3; repeated StructuredVersionSpec specs = 5; bool more = 6; }
service Bench { rpc Set(StructuredAssignmentSet) returns (StructuredAssignmentSet); }
`;

/** spec makes the spec of service i: a typical web service of a Compose file. */
function spec(i) {
  return {
    name: `svc${i}`, image: `registry.example.com/team/svc${i}:1.4.${i}`, command: ['node', 'server.js', '--port', '8080'],
    env: { NODE_ENV: 'production', DATABASE_URL: `postgres://db:5432/svc${i}`, LOG_LEVEL: 'info', CACHE_TTL: '300', FEATURE_FLAGS: 'a,b,c' },
    labels: { 'com.example.team': 'payments', 'com.example.tier': 'web' },
    ports: [{ target: 8080, published: 0, protocol: 'tcp', mode: 'ingress' }], mode: 'replicated', replicas: 3,
    restart: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 }, constraints: ['node.role==worker', 'node.labels.zone==eu'],
    stopGracePeriodMs: 10000, healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://localhost:8080/health'], intervalMs: 10000, timeoutMs: 3000, retries: 3, startPeriodMs: 5000 },
    reservations: { nanoCpus: 250000000, memoryBytes: 268435456 }, limits: { nanoCpus: 1000000000, memoryBytes: 536870912 },
    mounts: [{ type: 'volume', source: 'data', target: '/var/lib/data', readOnly: false }], networks: ['default', 'back'],
    dependsOn: [{ service: 'db', condition: 'service_healthy', required: true, restart: false }],
  };
}

/** task makes task j of service i, as an assignment carries it (spec_json empty: the spec is in specs). */
function task(i, j) {
  return {
    id: `${i.toString(16).padStart(6, '0')}${j.toString(16).padStart(6, '0')}`, stack: 'shop', service: `shop_svc${i}`, slot: j + 1, nodeId: 'a1b2c3d4e5f6',
    desiredState: 'running', state: 'running', containerId: 'f'.repeat(64), error: '', specVersion: 3, specJson: '', createdAtMs: 1_700_000_000_000 + j, updatedAtMs: 1_700_000_000_000 + j,
    exitCode: 0, health: 'healthy', nodeName: '', ports: [], networks: [{ network: 'shop_default', address: `10.0.${i % 256}.${j % 256}`, mac: '02:42:0a:00:00:01' }],
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** time runs fn `reps` times and returns the mean duration of one run in ms. */
function time(fn, reps) {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) fn();
  return (performance.now() - t0) / reps;
}

/**
 * runSpecEncoding measures both forms for each case ({tasks, services}) over
 * `rounds` rounds and returns one row per case.
 */
export async function runSpecEncoding({ rounds = 5, cases = [{ tasks: 1, services: 1 }, { tasks: 100, services: 10 }, { tasks: 10_000, services: 100 }], log = () => undefined } = {}) {
  const session = loadClusterProto().Dispatcher.service.Session;
  const dir = mkdtempSync(join(tmpdir(), 'bench-spec-'));
  let structured;
  try {
    writeFileSync(join(dir, 'bench.proto'), STRUCTURED);
    const def = protoLoader.loadSync('bench.proto', { ...LOADER_OPTIONS, includeDirs: [dir, ...(LOADER_OPTIONS.includeDirs ?? [])] });
    structured = grpc.loadPackageDefinition(def).bench.v1.Bench.service.Set;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = [];
  for (const c of cases) {
    const specs = Array.from({ length: c.services }, (_, i) => spec(i));
    const tasks = Array.from({ length: c.tasks }, (_, k) => task(k % c.services, Math.floor(k / c.services)));
    const reps = Math.max(1, Math.round(2000 / c.tasks));
    const json = { bytes: 0, encode: [], decode: [] };
    const msg = { bytes: 0, encode: [], decode: [] };
    for (let round = 0; round < rounds; round++) {
      // The manager: each spec to text once (its spec cache), then the message.
      let wire;
      json.encode.push(time(() => {
        const texts = specs.map((s, i) => ({ service: `shop_svc${i}`, specVersion: 3, specJson: encodeServiceSpec(s) }));
        wire = session.responseSerialize({ assignments: { type: 'FULL', tasks, removed: [], purgeVolumes: [], specs: texts, more: false } });
      }, reps));
      json.bytes = wire.length;
      // The agent: the message, then each spec text once (its SpecCache).
      json.decode.push(time(() => {
        const m = session.responseDeserialize(wire);
        for (const s of m.assignments.specs) decodeServiceSpec(s.specJson);
      }, reps));
      let wire2;
      msg.encode.push(time(() => {
        wire2 = structured.requestSerialize({ type: 0, tasks, removed: [], specs: specs.map((s, i) => ({ service: `shop_svc${i}`, specVersion: 3, spec: s })), more: false });
      }, reps));
      msg.bytes = wire2.length;
      msg.decode.push(time(() => structured.requestDeserialize(wire2), reps));
    }
    // Both forms must carry the same spec: the structured one decodes to the fields given.
    const back = structured.requestDeserialize(structured.requestSerialize({ specs: [{ service: 's', specVersion: 3, spec: specs[0] }] })).specs[0].spec;
    if (back.image !== specs[0].image || back.env.DATABASE_URL !== specs[0].env.DATABASE_URL || back.healthcheck.test.length !== 5) throw new Error('bench: the structured spec does not round-trip');
    const row = {
      tasks: c.tasks, services: c.services, specBytes: encodeServiceSpec(specs[0]).length,
      json: { bytes: json.bytes, encodeMs: median(json.encode), decodeMs: median(json.decode) },
      message: { bytes: msg.bytes, encodeMs: median(msg.encode), decodeMs: median(msg.decode) },
    };
    log(`spec encoding: ${c.tasks} tasks, ${c.services} services: JSON ${row.json.bytes} B ${row.json.encodeMs.toFixed(3)}+${row.json.decodeMs.toFixed(3)} ms; message ${row.message.bytes} B ${row.message.encodeMs.toFixed(3)}+${row.message.decodeMs.toFixed(3)} ms`);
    rows.push(row);
  }
  return rows;
}

/** specEncodingMarkdown renders the rows as a table. */
export function specEncodingMarkdown(rows) {
  const ms = (x) => x < 1 ? x.toFixed(3) : x.toFixed(1);
  const pct = (a, b) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;
  return [
    '| assignment set | spec as JSON text: bytes | encode (manager) | decode (agent) | spec as message: bytes | encode | decode | JSON against message: bytes, encode + decode |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.tasks} tasks of ${r.services} services | ${r.json.bytes} | ${ms(r.json.encodeMs)} ms | ${ms(r.json.decodeMs)} ms | ${r.message.bytes} | ${ms(r.message.encodeMs)} ms | ${ms(r.message.decodeMs)} ms | ${pct(r.json.bytes, r.message.bytes)}, ${pct(r.json.encodeMs + r.json.decodeMs, r.message.encodeMs + r.message.decodeMs)} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runSpecEncoding({ log: (m) => console.error(m) });
  console.log(specEncodingMarkdown(rows));
}
