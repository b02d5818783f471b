import type { Document } from 'yaml';
import { MAX_YAML_ALIASES } from '../limits.js';

/**
 * expandsTooMuch tells whether a document's aliases would expand past
 * MAX_YAML_ALIASES, with the `yaml` package's own check (maxAliasCount): a
 * "billion laughs" file of a few hundred bytes is caught at once, before
 * anything walks the expanded tree.
 */
export function expandsTooMuch(doc: Document): boolean {
  try {
    doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    return false;
  } catch (err) {
    // The `yaml` package throws a ReferenceError for excessive aliasing (an
    // unresolved alias is already among doc.errors); other failures are
    // reported with their position by the loader's own walk.
    return err instanceof ReferenceError;
  }
}
