/**
 * The Compose Specification allows service names of letters (upper case
 * too), digits, ".", "_" and "-"; the engines, the store and DNS labels take
 * lowercase letters, digits, "_" and "-". A service whose name they cannot
 * take runs under a mapped name instead of being refused.
 */

/**
 * engineServiceName maps a service name as written to the name it runs
 * under: lowercase (DNS is case-insensitive, so `Web` still resolves as
 * written), "." made "-" (a dot would read as `service.stack`), leading
 * characters other than a letter or digit dropped. "" when nothing is left.
 */
export function engineServiceName(written: string): string {
  return written.toLowerCase().replace(/\./g, '-').replace(/^[^a-z0-9]+/, '');
}
