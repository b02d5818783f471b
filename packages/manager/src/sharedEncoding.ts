import type * as grpc from '@grpc/grpc-js';

/**
 * One registry update goes to every session. grpc-js serializes a message on
 * every write; for an update marked with shareEncoding, the serializers made
 * by withSharedEncoding encode `{ registry: update }` once and hand the same
 * bytes to every later write (grpc-js copies them into its own frame).
 */
const shared = new WeakSet<object>();
const encoded = new WeakMap<object, Buffer>();

/** shareEncoding marks an update whose encoding is the same for every session; it must not change afterwards. */
export function shareEncoding<T extends object>(update: T): T {
  shared.add(update);
  return update;
}

/** withSharedEncoding returns a service definition whose responses reuse the encoding of shared registry updates. */
export function withSharedEncoding<T extends grpc.ServiceDefinition>(def: T): T {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(def)) {
    const serialize = m.responseSerialize as (v: unknown) => Buffer;
    const copy: grpc.MethodDefinition<unknown, unknown> = { ...m };
    out[name] = {
      ...copy,
      responseSerialize: (v: unknown): Buffer => {
        const r = isOnlyRegistry(v) ? v.registry : undefined;
        if (r === undefined || !shared.has(r)) return serialize(v);
        let b = encoded.get(r);
        if (!b) encoded.set(r, (b = serialize(v)));
        return b;
      },
    };
  }
  return out as unknown as T;
}

function isOnlyRegistry(v: unknown): v is { registry: object } {
  if (typeof v !== 'object' || v === null) return false;
  const r = (v as { registry?: unknown }).registry;
  if (typeof r !== 'object' || r === null) return false;
  for (const k in v) if (k !== 'registry') return false;
  return true;
}
