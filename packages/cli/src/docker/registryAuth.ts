/**
 * The credentials of `docker login`, read as the docker CLI keeps them
 * (`$DOCKER_CONFIG/config.json`, by default `~/.docker/config.json`): an
 * `auths` entry per registry (`auth` is base64 of `user:password`, or an
 * `identitytoken`), or a credential helper (`credHelpers`, `credsStore`)
 * run as `docker-credential-NAME get`. `cluster deploy` gives each service
 * the credentials of its image's registry, so that nodes pull as the user
 * would.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RegistryAuth, StackSpec } from '@cluster/core';

/** DOCKER_HUB is the key Docker Hub's credentials have in config.json. */
const DOCKER_HUB = 'https://index.docker.io/v1/';

/**
 * registryOf is the registry of an image reference, as the docker CLI tells
 * it: the first part of the name when it holds a "." or a ":" or is
 * `localhost`, else Docker Hub.
 */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return DOCKER_HUB;
  const first = image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first === 'docker.io' || first === 'index.docker.io' ? DOCKER_HUB : first;
  return DOCKER_HUB;
}

/** hostOf reduces a config.json key (`https://reg.example.com:5000/v1/`, `reg.example.com:5000`) to its host and port. */
function hostOf(key: string): string {
  if (key === DOCKER_HUB || /^(https?:\/\/)?(index\.)?docker\.io(\/|$)/.test(key)) return DOCKER_HUB;
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** DockerConfig is the part of config.json read here. */
interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** RunHelper runs `docker-credential-NAME get` with the registry on stdin and gives its output. */
export type RunHelper = (helper: string, registry: string) => string;

const runHelper: RunHelper = (helper, registry) => execFileSync(`docker-credential-${helper}`, ['get'], { input: registry, timeout: 10_000, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

/** AuthLookup finds the credentials of a registry, and says what it could not read. */
export interface AuthLookup {
  find(registry: string): RegistryAuth | undefined;
  /** problems are why credentials could not be read (a broken config.json, a helper that failed); never their content. */
  problems: string[];
}

/** dockerLogins reads the docker CLI's config of a user (env: DOCKER_CONFIG, HOME). */
export function dockerLogins(env: Record<string, string | undefined>, helper: RunHelper = runHelper): AuthLookup {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  const file = join(dir, 'config.json');
  const problems: string[] = [];
  let config: DockerConfig = {};
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cannot read ${file}: ${(err as Error).name === 'SyntaxError' ? 'not valid JSON' : (err as Error).message}`);
  }
  const auths = new Map<string, RegistryAuth>();
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    const server = hostOf(key);
    let username = entry.username;
    let password = entry.password;
    if (entry.auth) {
      const text = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon > 0) {
        username = text.slice(0, colon);
        password = text.slice(colon + 1);
      } else problems.push(`${file}: the auth of ${server} is not base64 of user:password`);
    }
    const identityToken = entry.identitytoken || undefined;
    if (username === undefined && identityToken === undefined) continue;
    auths.set(server, { serverAddress: server, ...(username === undefined ? {} : { username, password: password ?? '' }), ...(identityToken === undefined ? {} : { identityToken }) });
  }
  const fromHelper = (registry: string): RegistryAuth | undefined => {
    const name = config.credHelpers?.[registry] ?? config.credsStore;
    if (!name) return undefined;
    try {
      const out = JSON.parse(helper(name, registry)) as { Username?: string; Secret?: string };
      if (!out.Secret) return undefined;
      // A helper gives an identity token with the user name "<token>", as the docker CLI reads it.
      return out.Username === '<token>' ? { serverAddress: registry, identityToken: out.Secret } : { serverAddress: registry, username: out.Username ?? '', password: out.Secret };
    } catch (err) {
      // A helper that knows no credentials for the registry exits non-zero: as no login.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') problems.push(`credential helper docker-credential-${name} of ${registry} is not installed`);
      return undefined;
    }
  };
  return { find: (registry) => fromHelper(registry) ?? auths.get(registry), problems };
}

/**
 * addRegistryAuth gives each service of a stack the `docker login`
 * credentials of its image's registry, when the user has some; it returns
 * the registries it gave credentials of.
 */
export function addRegistryAuth(spec: StackSpec, logins: AuthLookup): string[] {
  const used = new Set<string>();
  const byRegistry = new Map<string, RegistryAuth | undefined>();
  for (const s of Object.values(spec.services)) {
    const registry = registryOf(s.image);
    if (!byRegistry.has(registry)) byRegistry.set(registry, logins.find(registry));
    const auth = byRegistry.get(registry);
    if (auth === undefined) continue;
    s.pullAuth = auth;
    used.add(registry);
  }
  return [...used].sort();
}
