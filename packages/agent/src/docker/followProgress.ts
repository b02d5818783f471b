import type Dockerode from 'dockerode';

/**
 * followProgress waits for the end of an engine progress stream (a pull, an
 * image load) and fails with the engine's error when one comes in it: the
 * engine answers 200 first and sends a failure later as an
 * `{"error": …, "errorDetail": {"message": …}}` line, which dockerode's
 * followProgress passes on as progress, not as its error.
 */
export function followProgress(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed: string | undefined;
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : failed !== undefined ? reject(new Error(failed)) : resolve()),
      (event: { error?: string; errorDetail?: { message?: string } }) => {
        failed ??= event.errorDetail?.message ?? event.error;
      },
    );
  });
}
