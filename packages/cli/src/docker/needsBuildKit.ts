/**
 * needsBuildKit tells whether a Dockerfile uses what only BuildKit builds:
 * a `# syntax=` directive, `--mount`, `--network` or `--security` on RUN,
 * `--chmod`, `--link` or `--parents` on COPY or ADD, or a here-document.
 */
export function needsBuildKit(dockerfile: string): boolean {
  if (/^#\s*syntax\s*=/im.test(dockerfile)) return true;
  return dockerfile.split(/\r?\n/).some((line) => /^\s*(RUN|COPY|ADD)\b/i.test(line) && /\s(--mount|--network|--security|--chmod|--link|--parents)[=\s]|<<-?\s*["']?[A-Za-z_]/i.test(line));
}
