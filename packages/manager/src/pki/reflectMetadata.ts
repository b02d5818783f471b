// reflectMetadata installs the three Reflect metadata functions that tsyringe
// (a dependency of @peculiar/x509) demands at load time. @peculiar/x509
// registers only constructor-less algorithm classes, so a plain store is
// enough; an existing polyfill (reflect-metadata, core-js) is left in place.
// It must be evaluated before @peculiar/x509: import it through ./x509.js.

type Key = unknown;
type Target = object;

interface ReflectMetadata {
  getMetadata(key: Key, target: Target): unknown;
  getOwnMetadata(key: Key, target: Target): unknown;
  defineMetadata(key: Key, value: unknown, target: Target): void;
}

const reflect = Reflect as typeof Reflect & Partial<ReflectMetadata>;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<Target, Map<Key, unknown>>();
  const getOwnMetadata = (key: Key, target: Target): unknown => store.get(target)?.get(key);
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata(key: Key, target: Target): unknown {
      for (let t: Target | null = target; t !== null; t = Object.getPrototypeOf(t) as Target | null) {
        const value = getOwnMetadata(key, t);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    defineMetadata(key: Key, value: unknown, target: Target): void {
      let entries = store.get(target);
      if (entries === undefined) store.set(target, (entries = new Map()));
      entries.set(key, value);
    },
  } satisfies ReflectMetadata);
}

export {};
