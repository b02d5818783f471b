import type Dockerode from 'dockerode';

/**
 * execInContainer runs a shell command in a container for engine tests,
 * bounded by `timeout 5` inside and an 8 s deadline outside, and returns its
 * exit code and output.
 */
export async function execInContainer(c: Dockerode.Container, cmd: string): Promise<{ code: number; out: string }> {
  const e = await c.exec({ Cmd: ['timeout', '5', 'sh', '-c', cmd], AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await e.start({ Detach: false, Tty: true });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 8000);
    stream.on('end', () => { clearTimeout(timer); resolve(); });
  });
  const info = await e.inspect();
  return { code: info.ExitCode ?? -1, out };
}
