/**
 * ImageLoader loads into the engine an image the manager holds (one built by
 * `cluster deploy` for a `build:` service), at most once at a time per image:
 * concurrent tasks of the same image wait for the same transfer, and once
 * loaded the image is on the node, so it is never fetched again.
 */
import type Dockerode from 'dockerode';
import { followProgress } from './followProgress.js';

/** ImageSource opens the archive of an image at the manager; the stream errors when the manager has none. */
export type ImageSource = (name: string) => NodeJS.ReadableStream;

/** ImageLoader shares in-flight transfers by image name. */
export class ImageLoader {
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly source: ImageSource,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** load resolves true once the image is loaded, false when the manager has no such image. */
  load(name: string): Promise<boolean> {
    let running = this.inFlight.get(name);
    if (running === undefined) {
      running = this.transfer(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, running);
    }
    return running;
  }

  private async transfer(name: string): Promise<boolean> {
    const archive = this.source(name);
    const started = Date.now();
    // Wait for the first bytes: the manager answers NOT_FOUND before any when it has no such image.
    const failed = new Promise<never>((_, reject) => archive.once('error', reject));
    failed.catch(() => undefined);
    const first = await new Promise<boolean>((resolve, reject) => {
      const done = (v: boolean | Error): void => {
        archive.off('readable', onReadable);
        archive.off('end', onEnd);
        archive.off('error', onError);
        if (v instanceof Error) reject(v);
        else resolve(v);
      };
      const onReadable = (): void => done(true);
      const onEnd = (): void => done(false);
      // grpc status 5 is NOT_FOUND: the manager holds no image of that name.
      const onError = (err: Error & { code?: number }): void => done(err.code === 5 ? false : err);
      archive.once('readable', onReadable);
      archive.once('end', onEnd);
      archive.once('error', onError);
    });
    if (!first) return false;
    const loaded = (async () => {
      const stream = await this.docker.loadImage(archive as unknown as NodeJS.ReadableStream);
      await followProgress(this.docker, stream);
    })();
    // A transfer broken half-way fails the load instead of leaving it waiting.
    await Promise.race([loaded, failed]);
    try {
      await this.docker.getImage(name).inspect();
    } catch {
      return false;
    }
    this.log(`images: loaded ${name} from the manager in ${Date.now() - started}ms`);
    return true;
  }
}
