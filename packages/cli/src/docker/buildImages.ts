/**
 * buildImages builds the images of a stack's `build:` services with the
 * Docker engine where the CLI runs (context, dockerfile, args, target), then
 * sends each to the manager unless it holds that very image already; the
 * manager hands it to the nodes that need it. No registry is involved.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Dockerode from 'dockerode';
import { pack } from 'tar-fs';
import { traceSteps } from './buildkitTrace.js';
import { needsBuildKit } from './needsBuildKit.js';
import type { StackSpec } from '@cluster/core';
import { CliError, type Io } from '../io.js';
import { contextFiles } from './buildContext.js';
import type { Control } from '../client.js';

/** CHUNK_BYTES is the size of the chunks sent to the manager. */
const CHUNK_BYTES = 256 * 1024;

/** localDocker is a client of the engine named by DOCKER_HOST (unix:// or tcp://), else the local socket. */
export function localDocker(io: Io): Dockerode {
  const host = io.env['DOCKER_HOST'];
  if (host === undefined || host === '') return new Dockerode({ socketPath: '/var/run/docker.sock' });
  const url = new URL(host);
  if (url.protocol === 'unix:') return new Dockerode({ socketPath: url.pathname });
  return new Dockerode({ host: url.hostname, port: url.port || '2375', protocol: 'http' });
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * usesBuildKit tells whether to build with BuildKit: when the Dockerfile
 * needs it (needsBuildKit) or DOCKER_BUILDKIT=1 asks for it, and the engine
 * has it (API 1.39 or later, Linux); DOCKER_BUILDKIT=0 asks for the classic
 * builder. The context travels in the request, as for the classic builder:
 * no session is needed (so the docker CLI's `--secret` and `--ssh` are not
 * available), and the engine does not apply `.dockerignore` again, so a
 * Dockerfile or `.dockerignore` that `.dockerignore` names is in the context
 * (the classic builder leaves them out of COPY).
 */
async function usesBuildKit(io: Io, docker: Dockerode, dockerfile: string | undefined): Promise<boolean> {
  const asked = io.env.DOCKER_BUILDKIT;
  if (asked === '0' || asked === 'false') return false;
  if (!(asked === '1' || asked === 'true') && (dockerfile === undefined || !needsBuildKit(dockerfile))) return false;
  try {
    const v = await docker.version();
    const [major = 0, minor = 0] = (v.ApiVersion ?? '').split('.').map(Number);
    return v.Os === 'linux' && (major > 1 || (major === 1 && minor >= 39));
  } catch {
    return false;
  }
}

/** buildImage builds one service's image, printing the engine's progress lines (with BuildKit, each step once done). */
async function buildImage(io: Io, docker: Dockerode, service: string, image: string, build: NonNullable<StackSpec['services'][string]['build']>): Promise<void> {
  const dockerfile = build.dockerfile ?? 'Dockerfile';
  let text: string | undefined;
  try {
    text = readFileSync(resolve(build.context, dockerfile), 'utf8');
  } catch {
    text = undefined; // the engine says what is wrong
  }
  const buildKit = await usesBuildKit(io, docker, text);
  let files: string[];
  try {
    files = contextFiles(build.context, dockerfile);
  } catch (err) {
    throw new CliError(`build: ${service}: cannot read the context ${build.context}: ${(err as Error).message}`);
  }
  io.err(`build: ${service}: ${image} from ${build.context} (${files.length} files${buildKit ? ', BuildKit' : ''})\n`);
  let stream: NodeJS.ReadableStream;
  try {
    // The archive is made here: dockerode's own filter would drop a Dockerfile that .dockerignore matches.
    stream = await docker.buildImage(pack(build.context, { entries: files }), {
      t: image,
      dockerfile,
      buildargs: build.args,
      ...(build.target === undefined ? {} : { target: build.target }),
      ...(buildKit ? { version: '2' as const } : {}),
    });
  } catch (err) {
    throw new CliError(`build: ${service}: the local engine refused: ${(err as Error).message}`);
  }
  const shownSteps = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: { error?: string }[]) => {
        const failed = err?.message ?? out.find((o) => o.error)?.error;
        if (failed) reject(new CliError(`build: ${service}: ${failed.trim()}`));
        else resolve();
      },
      (e: { stream?: string; id?: string; aux?: unknown }) => {
        const line = e.stream?.trim();
        if (line && line.startsWith('Step ')) io.err(`build: ${service}: ${line}\n`);
        if (e.id !== 'moby.buildkit.trace') return;
        for (const step of traceSteps(e.aux)) {
          if (step.name.startsWith('[internal]') || shownSteps.has(step.digest)) continue;
          if (step.error !== '') io.err(`build: ${service}: ${step.name}: ${step.error}\n`);
          else if (!step.completed) continue;
          else io.err(`build: ${service}: ${step.name}${step.cached ? ' (cached)' : ''}\n`);
          shownSteps.add(step.digest);
        }
      },
    );
  });
}

/** pushImage sends an image to the manager as a `docker save` archive, with progress. */
async function pushImage(io: Io, docker: Dockerode, control: Control, service: string, image: string): Promise<void> {
  const info = await docker.getImage(image).inspect();
  const { present } = await control.call('HasImage', { name: image, imageId: info.Id });
  if (present) {
    io.err(`push: ${service}: the manager has ${image} already\n`);
    return;
  }
  const archive = await docker.getImage(image).get();
  let sent = 0;
  let shown = 0;
  const started = Date.now();
  async function* chunks(): AsyncGenerator<object> {
    let first = true;
    let pending: Buffer = Buffer.alloc(0);
    for await (const data of archive as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      while (pending.length >= CHUNK_BYTES) {
        const part = pending.subarray(0, CHUNK_BYTES);
        pending = pending.subarray(CHUNK_BYTES);
        yield first ? { name: image, imageId: info.Id, data: part } : { data: part };
        first = false;
        sent += part.length;
        if (sent - shown >= 8 * 1024 * 1024) {
          shown = sent;
          io.err(`push: ${service}: ${mib(sent)} sent\n`);
        }
      }
    }
    yield first ? { name: image, imageId: info.Id, data: pending } : { data: pending };
    sent += pending.length;
  }
  const r = await control.upload('PushImage', chunks());
  io.err(`push: ${service}: ${image} stored as ${r.digest.slice(0, 19)} (${mib(r.bytes)} in ${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
}

/** buildImages builds and sends the images of every `build:` service of a stack. */
export async function buildImages(io: Io, spec: StackSpec, control: Control): Promise<void> {
  const built = Object.values(spec.services).filter((s) => s.build !== undefined);
  if (built.length === 0) return;
  const docker = localDocker(io);
  for (const s of built) {
    await buildImage(io, docker, s.name, s.image, s.build!);
    await pushImage(io, docker, control, s.name, s.image);
  }
}
