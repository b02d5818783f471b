/**
 * ImageStore keeps the images `cluster deploy` built for `build:` services,
 * so that nodes get them without a registry: each `docker save` archive is
 * stored once under its sha256 in the manager's data dir, and names map to
 * digests in the store. It serves Control.PushImage and HasImage to the CLI
 * and Dispatcher.FetchImage to nodes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ControlHandlers, DispatcherHandlers, ImageChunk, ImageChunk__Output, PushImageResponse } from '@cluster/api';
import { endWithStatus, toServiceError } from './status.js';
import { unary } from './rpc.js';
import { shown } from './nodeInput.js';
import { diskWriteError } from './diskWriteError.js';
import type { Store, Unwatch } from './store.js';
import { unusedImages } from './unusedImages.js';

/** CHUNK_BYTES is the size of the chunks sent to nodes. */
const CHUNK_BYTES = 256 * 1024;
const NAME_KEY = (name: string): string => `${IMAGE_PREFIX}${name}`;

/** StoredImage is what a name maps to. */
interface StoredImage {
  digest: string;
  imageId: string;
  bytes: number;
  /** storedAtMs is when the name was pushed. @default 0 (records of an older manager) */
  storedAtMs?: number;
}

/** IMAGE_PREFIX starts the metadata key of every image name. */
const IMAGE_PREFIX = 'image:';

/** ImageStoreOptions tune the collection of images no stack uses. */
export interface ImageStoreOptions {
  /** graceMs keeps an image pushed this recently though no service uses it yet (its deploy follows the push). @default 600000 */
  graceMs?: number;
  now?: () => number;
}

function grpcError(code: grpc.status, details: string): Error & { code: grpc.status; details: string } {
  return Object.assign(new Error(details), { code, details });
}

/**
 * ImageStore holds built images under dir, indexed in the store. Once
 * started, it removes the names no service uses and the archives no name is
 * left on: at start, and after every change of services (a stack removed,
 * an image built again), which it watches in the store.
 */
export class ImageStore {
  private readonly graceMs: number;
  private readonly now: () => number;
  private unwatch: Unwatch | undefined;

  constructor(
    private readonly dir: string,
    private readonly store: Store,
    private readonly log: (line: string) => void = () => undefined,
    options: ImageStoreOptions = {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.graceMs = options.graceMs ?? 600_000;
    this.now = options.now ?? Date.now;
  }

  /** start collects unused images now and after every change of services. */
  start(): void {
    this.unwatch ??= this.store.viewAndWatch(() => this.collect(), () => this.collect(), ['service']).unwatch;
  }

  /** stop ends the watch. */
  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /**
   * collect removes the image names no service uses (but those pushed within
   * the grace) and the archives no name is left on; it returns how many
   * archives it deleted. A failure is logged: images are kept, the manager
   * carries on.
   */
  collect(): number {
    try {
      const named = this.store.metaWithPrefix(IMAGE_PREFIX).map(([key, raw]) => {
        const image = JSON.parse(raw) as StoredImage;
        return { name: key.slice(IMAGE_PREFIX.length), digest: image.digest.replace(/^sha256:/, ''), storedAtMs: image.storedAtMs ?? 0 };
      });
      const used = new Set(this.store.allServices().map((s) => s.spec.image));
      const archives = readdirSync(this.dir).filter((f) => /^[0-9a-f]{64}\.tar$/.test(f)).map((f) => f.slice(0, -4));
      const gone = unusedImages(named, used, archives, this.now(), this.graceMs);
      if (gone.names.length > 0) this.store.deleteMeta(gone.names.map(NAME_KEY));
      for (const d of gone.digests) rmSync(this.fileOf(d), { force: true });
      if (gone.names.length + gone.digests.length > 0) {
        this.log(`images: removed ${gone.digests.length} archive${gone.digests.length === 1 ? '' : 's'} no stack uses${gone.names.length > 0 ? ` (${gone.names.map((n) => shown(n)).join(', ')})` : ''}`);
      }
      return gone.digests.length;
    } catch (err) {
      this.log(`images: removing images no stack uses failed: ${(err as Error).message}`);
      return 0;
    }
  }

  private fileOf(digest: string): string {
    return join(this.dir, `${digest.replace(/^sha256:/, '')}.tar`);
  }

  /** lookup gives the stored image of a name, if its archive is still there. */
  lookup(name: string): StoredImage | undefined {
    const raw = this.store.getMeta(NAME_KEY(name));
    if (raw === undefined) return undefined;
    const image = JSON.parse(raw) as StoredImage;
    return existsSync(this.fileOf(image.digest)) ? image : undefined;
  }

  /** byImageId finds a stored image by its engine id among the names known. */
  private byImageId(imageId: string, name: string): StoredImage | undefined {
    const same = this.lookup(name);
    return same?.imageId === imageId ? same : undefined;
  }

  /** handlers are the Control RPCs PushImage and HasImage. */
  controlHandlers(): Pick<ControlHandlers, 'HasImage' | 'PushImage'> {
    return {
      HasImage: unary((req) => ({ present: this.byImageId(req.imageId, req.name) !== undefined })),
      PushImage: (call, cb) => this.receive(call, cb),
    };
  }

  private receive(call: grpc.ServerReadableStream<ImageChunk__Output, PushImageResponse>, cb: grpc.sendUnaryData<PushImageResponse>): void {
    const tmp = join(this.dir, `.upload-${randomBytes(6).toString('hex')}`);
    const out = createWriteStream(tmp, { mode: 0o600 });
    const hash = createHash('sha256');
    let name = '';
    let imageId = '';
    let bytes = 0;
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      out.destroy();
      rmSync(tmp, { force: true });
      cb(err);
    };
    call.on('data', (chunk: ImageChunk__Output) => {
      if (name === '' && chunk.name) {
        name = chunk.name;
        imageId = chunk.imageId;
      }
      const data = chunk.data;
      hash.update(data);
      bytes += data.length;
      if (!out.write(data)) {
        call.pause();
        out.once('drain', () => call.resume());
      }
    });
    call.on('error', (err) => fail(err));
    // A full or failing disk ends the upload with the reason; the manager carries on.
    out.on('error', (err) => fail(toServiceError(diskWriteError(err, this.dir) ?? err)));
    call.on('end', () => {
      if (failed) return;
      if (name === '') return fail(grpcError(grpc.status.INVALID_ARGUMENT, 'push image: the first chunk must name the image'));
      out.end(() => {
        if (failed) return;
        try {
          const digest = `sha256:${hash.digest('hex')}`;
          const file = this.fileOf(digest);
          if (existsSync(file)) rmSync(tmp, { force: true });
          else renameSync(tmp, file);
          this.store.setMeta(NAME_KEY(name), JSON.stringify({ digest, imageId, bytes, storedAtMs: this.now() } satisfies StoredImage));
          this.log(`images: stored ${name} as ${digest.slice(0, 19)} (${bytes} bytes)`);
          cb(null, { digest, bytes });
        } catch (err) {
          fail(toServiceError(diskWriteError(err, this.dir) ?? err));
        }
      });
    });
  }

  /**
   * usedOn tells whether a task assigned to a node, and meant to run, uses
   * an image: the only images that node may fetch.
   */
  private usedOn(nodeId: string, name: string): boolean {
    for (const t of this.store.tasksOfNode(nodeId)) {
      if (t.desiredState === 'running' && this.store.service(t.service)?.spec.image === name) return true;
    }
    return false;
  }

  /**
   * fetch serves Dispatcher.FetchImage to node `nodeId`: the archive of a
   * name, in chunks, if a task assigned to that node uses it; otherwise
   * PERMISSION_DENIED, whether the manager holds the image or not (a node
   * learns nothing of the images of others' tasks).
   */
  fetch(call: Parameters<DispatcherHandlers['FetchImage']>[0], nodeId: string): void {
    if (!this.usedOn(nodeId, call.request.name)) {
      const details = `fetch image: no task assigned to node ${nodeId} uses image ${shown(call.request.name)}`;
      this.log(`images: refused: ${details}`);
      endWithStatus(call, grpcError(grpc.status.PERMISSION_DENIED, details));
      return;
    }
    const image = this.lookup(call.request.name);
    if (image === undefined) {
      endWithStatus(call, grpcError(grpc.status.NOT_FOUND, `fetch image: the manager has no image "${call.request.name}"`));
      return;
    }
    const file = this.fileOf(image.digest);
    const total = statSync(file).size;
    let first = true;
    const input = createReadStream(file, { highWaterMark: CHUNK_BYTES });
    input.on('data', (data) => {
      const chunk: ImageChunk = first ? { name: call.request.name, imageId: image.imageId, data: data as Buffer, totalBytes: total } : { data: data as Buffer };
      first = false;
      if (!call.write(chunk)) {
        input.pause();
        call.once('drain', () => input.resume());
      }
    });
    input.on('end', () => call.end());
    input.on('error', (err) => {
      this.log(`images: sending ${shown(call.request.name)} failed: ${err.message}`);
      endWithStatus(call, grpcError(grpc.status.INTERNAL, `fetch image: ${err.message}`));
    });
    call.on('cancelled', () => input.destroy());
  }
}
