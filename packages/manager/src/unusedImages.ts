/**
 * The decision of the image store's collection, as data: which image names
 * and which archives no stack uses any more. Pure; ImageStore applies it.
 */

/** NamedImage is a name the image store holds: its archive's digest and when it was stored. */
export interface NamedImage {
  name: string;
  digest: string;
  /** storedAtMs is when the name was last pushed (0 for a record made before it was kept). */
  storedAtMs: number;
}

/** ImageCollection is what to remove: names, and the digests of archives no name is left on. */
export interface ImageCollection {
  names: string[];
  digests: string[];
}

/**
 * unusedImages decides what the image store removes at time `now`: every
 * name no service's spec uses (`used`), unless it was pushed within
 * `graceMs` (`cluster deploy` pushes an image before it deploys the stack
 * that uses it); then every archive (`archives`, by digest) that no name
 * kept points at (an image built again gets a new archive under the same
 * name, so the old one goes).
 */
export function unusedImages(named: readonly NamedImage[], used: ReadonlySet<string>, archives: readonly string[], now: number, graceMs: number): ImageCollection {
  const names: string[] = [];
  const kept = new Set<string>();
  for (const n of named) {
    if (used.has(n.name) || now - n.storedAtMs < graceMs) kept.add(n.digest);
    else names.push(n.name);
  }
  return { names: names.sort(), digests: archives.filter((d) => !kept.has(d)).sort() };
}
